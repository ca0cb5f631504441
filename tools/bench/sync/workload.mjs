// The seeded sync workload (one trace all peers replay): R evacuee records registered on tablet 0
// and shared, then an offline day on 3 tablets: each edits 2 % of the records' status, and 20 hot
// records get a concurrent status edit from all three. Usage: node workload.mjs SEED R > trace.json
function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const seed = Number(process.argv[2] ?? 1), n = Number(process.argv[3] ?? 5000);
const rnd = mulberry32(seed);
const hex = (k) => Array.from({ length: k }, () => Math.floor(rnd() * 16).toString(16)).join('');
const kana = 'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ';
const word = (k) => Array.from({ length: k }, () => kana[Math.floor(rnd() * kana.length)]).join('');
const statuses = ['arrive', 'leave', 'overnight_out', 'hospital', 'returned_home'];
const records = [];
for (let i = 0; i < n; i++)
  records.push({ id: hex(32), name: word(2) + ' ' + word(2), kana: word(4), dob: `19${10 + Math.floor(rnd() * 90)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`,
                 sex: rnd() < 0.5 ? 'male' : 'female', status: 'arrive', note: word(Math.floor(rnd() * 20)) });
const edits = [];
const perReplica = Math.round(n * 0.02);
for (let r = 0; r < 3; r++)
  for (let k = 0; k < perReplica; k++)
    edits.push({ replica: r, record: Math.floor(rnd() * n), value: statuses[Math.floor(rnd() * statuses.length)] + '-' + r });
const hot = [];
while (hot.length < 20) { const i = Math.floor(rnd() * n); if (!hot.includes(i)) hot.push(i); }
for (const i of hot) for (let r = 0; r < 3; r++) edits.push({ replica: r, record: i, value: 'hot-' + r });
process.stdout.write(JSON.stringify({ seed, records, edits, hot, syncs: [[0, 1], [1, 2], [0, 1]] }));
