const mode = process.argv[2]; const n = Number(process.argv[3]);
const last = Buffer.from('ff2e17617069637572696f2e76616c75652e676c6f62616c496410000000000000001d', 'hex');
const buffer = Buffer.concat([Buffer.alloc(100, 7), last, Buffer.alloc(100, 7)]);
function sameLoop(bytes: Buffer, buf: Buffer, start: number): boolean { for (let i = 0; i < bytes.length; i++) if (bytes[i] !== buf[start + i]) return false; return true; }
function sameNative(bytes: Buffer, buf: Buffer, start: number): boolean { return buf.compare(bytes, 0, bytes.length, start, start + bytes.length) === 0; }
function sameWords(bytes: Buffer, buf: Buffer, start: number): boolean {
  const len = bytes.length; let i = 0;
  for (; i + 4 <= len; i += 4) if (bytes.readInt32LE(i) !== buf.readInt32LE(start + i)) return false;
  for (; i < len; i++) if (bytes[i] !== buf[start + i]) return false; return true;
}
const f = mode === 'loop' ? sameLoop : mode === 'native' ? sameNative : sameWords;
let sink = 0;
for (let i = 0; i < n; i++) if (f(last, buffer, 100 + (i & 0))) sink++;
console.log(sink);
