/**
 * Unsigned LEB128 varints (7 bits a byte, high bit = more follows) and their
 * zigzag form for signed values, written into a growing buffer and read back
 * with bounds checks: the compact integers of the binary delta format.
 * Arithmetic instead of bit shifts keeps values up to 2^53 exact.
 */

export class ByteWriter {
  private buffer = Buffer.allocUnsafe(256);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  uint(value: number): void {
    this.reserve(8);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  /** A signed value as zigzag (0, -1, 1, -2 … → 0, 1, 2, 3 …), so small magnitudes stay one byte. */
  int(value: number): void {
    this.uint(value < 0 ? -value * 2 - 1 : value * 2);
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** The bytes written (a copy, so the writer's spare capacity is not kept alive). */
  finish(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }
}

export class ByteReader {
  private position = 0;

  constructor(private readonly input: Uint8Array) {}

  done(): boolean {
    return this.position >= this.input.length;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.position >= this.input.length) throw new Error(`a varint runs past the end of the ${this.input.length}-byte input`);
      const byte = this.input[this.position++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new Error(`a varint at byte ${this.position} is longer than 8 bytes`);
    }
  }

  int(): number {
    const zigzag = this.uint();
    return zigzag % 2 === 1 ? -(zigzag + 1) / 2 : zigzag / 2;
  }

  bytes(length: number): Uint8Array {
    if (this.position + length > this.input.length) throw new Error(`${length} bytes at byte ${this.position} run past the end of the ${this.input.length}-byte input`);
    const slice = this.input.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }
}
