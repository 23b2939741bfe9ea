import { PGlite } from '@electric-sql/pglite';
let t = Date.now();
const a = new PGlite(); await a.waitReady; console.log('initdb mem', Date.now() - t);
t = Date.now(); const dump = await a.dumpDataDir('none'); console.log('dump', Date.now() - t, dump.size);
t = Date.now(); const b = new PGlite({ loadDataDir: dump }); await b.waitReady; console.log('load from dump', Date.now() - t);
console.log((await b.query('select 1 as x')).rows);
t = Date.now(); const c = new PGlite({ loadDataDir: dump }); await c.waitReady; console.log('load from dump 2', Date.now() - t);
t = Date.now(); const d = new PGlite(); await d.waitReady; console.log('initdb mem 2', Date.now() - t);
console.log(process.memoryUsage().rss >> 20, 'MB');
