/** First frame byte of an unfragmented text message: FIN set, opcode 0x1 (RFC 6455, 5.2). */
const FIN_TEXT = 0x81;

/** Payload lengths up to 125 fit in the 7-bit length field. */
const MAX_SHORT_LENGTH = 125;

/** Length code meaning the next 2 bytes carry the length. */
const LENGTH_16 = 126;

/** Length code meaning the next 8 bytes carry the length. */
const LENGTH_64 = 127;

/**
 * Encodes `text` as one unmasked WebSocket text frame, as a server sends it.
 *
 * The fan-out encodes each event frame once and writes the same bytes to every client's socket.
 */
export function encodeTextFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  if (length <= MAX_SHORT_LENGTH) {
    const frame = Buffer.allocUnsafe(2 + length);
    frame[0] = FIN_TEXT;
    frame[1] = length;
    frame.write(text, 2);
    return frame;
  }
  if (length <= 0xffff) {
    const frame = Buffer.allocUnsafe(4 + length);
    frame[0] = FIN_TEXT;
    frame[1] = LENGTH_16;
    frame.writeUInt16BE(length, 2);
    frame.write(text, 4);
    return frame;
  }
  const frame = Buffer.allocUnsafe(10 + length);
  frame[0] = FIN_TEXT;
  frame[1] = LENGTH_64;
  frame.writeBigUInt64BE(BigInt(length), 2);
  frame.write(text, 10);
  return frame;
}
