/** The report's only style sheet, inline; the Content-Security-Policy allows exactly this text by its hash. */
export const STYLE = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #bf8700; --info: #0969da; --muted: #6e7781; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0; background: #fff; }
header, main, footer { max-width: 1060px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; border-bottom: 1px solid var(--line); padding-bottom: 12px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: var(--muted); margin: 0; }
code, .hash { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; overflow-wrap: anywhere; }
.hash { display: block; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; list-style: none; padding: 0; margin: 16px 0; }
.cards li { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 130px; background: var(--bg); }
.cards strong { display: block; font-size: 22px; }
.cards .bad strong { color: var(--bad); } .cards .warn strong { color: var(--warn); } .cards .ok strong { color: var(--ok); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 5px 8px; overflow-wrap: anywhere; }
th { background: var(--bg); font-weight: 600; }
td.reason { width: 45%; }
th, td { min-width: 88px; }
.hash { white-space: nowrap; }
td.status, td:first-child { min-width: 110px; }
.status { font-weight: 600; white-space: nowrap; }
.status.exception { color: var(--bad); } .status.accepted { color: var(--warn); } .status.not-assessable { color: var(--warn); } .status.not-assessed { color: var(--bad); font-weight: bold; } .status.pass { color: var(--ok); }
.status.covered { color: var(--ok); } .status.partial { color: var(--warn); } .status.not-covered { color: var(--bad); } .status.unmapped { color: var(--muted); }
.via.partial { font-style: italic; }
.none { color: var(--muted); }
.grid { display: flex; flex-wrap: wrap; gap: 6px 18px; }
.group h3 { margin: 6px 0 4px; font-size: 12px; color: var(--muted); }
.group ul, .legend { display: flex; gap: 4px; list-style: none; padding: 0; margin: 0; }
.legend { flex-wrap: wrap; gap: 6px 14px; margin-top: 12px; }
.tile { border-radius: 4px; min-width: 52px; text-align: center; padding: 4px 6px; font-size: 12px; border: 1px solid transparent; }
.tile a { color: inherit; text-decoration: none; display: block; }
.tile .id { display: block; font-weight: 600; }
.legend .tile { min-width: 0; text-align: left; }
.tile.exception { background: #ffebe9; border-color: var(--bad); color: #82071e; }
.tile.not-assessed { background: #ffebe9; border-color: var(--bad); color: #82071e; }
.tile.not-assessable { background: #fff8c5; border-color: var(--warn); color: #7d4e00; }
.tile.pass { background: #dafbe1; border-color: var(--ok); color: #116329; }
.tile.evidence { background: #ddf4ff; border-color: var(--info); color: #0a3069; }
.tile.none { background: var(--bg); color: var(--muted); }
.tile.gapped { outline: 2px dashed var(--bad); outline-offset: 1px; }
svg.timeline { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
svg .label { font-size: 12px; fill: #1f2328; }
svg .axis { font-size: 11px; fill: var(--muted); }
svg .axis.end { text-anchor: end; }
svg .month { stroke: var(--line); stroke-dasharray: 2 3; }
svg .track { stroke: var(--line); }
svg .ok { fill: var(--ok); } svg .bad { fill: var(--bad); } svg .mixed { fill: var(--warn); }
svg .gap { fill: url(#hatch); stroke: var(--bad); stroke-width: 1; }
svg .hatch { fill: var(--bad); opacity: .45; }
details { margin: 6px 0 12px; }
summary { cursor: pointer; color: var(--info); }
.criterion { border-left: 4px solid var(--line); padding-left: 12px; margin: 18px 0; }
.criterion.exception { border-color: var(--bad); } .criterion.not-assessed { border-color: var(--bad); } .criterion.not-assessable { border-color: var(--warn); } .criterion.pass { border-color: var(--ok); } .criterion.evidence { border-color: var(--info); }
footer { color: var(--muted); padding: 24px; margin-top: 32px; border-top: 1px solid var(--line); }
ol.steps li { margin-bottom: 6px; }
@media print { .tile a { text-decoration: none; } details { display: block; } }
`;
