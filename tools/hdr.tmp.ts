import { readSharedHeaders } from '../libs/kafka-io/src/kafkajs-header-decoder';
const Decoder = require('kafkajs/src/protocol/decoder');
const Encoder = require('kafkajs/src/protocol/encoder');
const key = process.argv[2] ?? '';
const n = Number(process.argv[3] ?? 1e6);
const enc = new Encoder();
if (key) { enc.writeVarIntArray([{ key, value: Buffer.alloc(8, 1) }].map(({ key, value }) => new Encoder().writeVarIntString(key).writeVarIntBytes(value))); } else enc.writeVarInt(0);
const section = enc.buffer;
const buffer = Buffer.concat([Buffer.alloc(100, 7), section, Buffer.alloc(100, 7)]);
let sink = 0;
for (let i = 0; i < n; i++) { const d = new Decoder(buffer); d.offset = 100; const h = readSharedHeaders(d); sink += d.offset; }
console.log(section.length, sink);
