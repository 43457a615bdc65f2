//! Index build time and query latency over synthetic multilingual narratives.
//!
//! `WARROOM_SEARCH_BENCH_REPORTS` reports (default 100 000) are indexed in batches of 10 000,
//! as the node feeds the index from the store. Narratives are sentences in Thai, Japanese,
//! Hindi and English made of words drawn from per-language vocabularies with Zipf weights,
//! plus a long tail of names, phone and account numbers, so that postings are skewed the way
//! real text is. Prints the build time, index size, memory, and p50/p99 latency per query
//! type (a page of 20 with highlights, in a viewer's scope), then runs criterion on the same
//! query mixes. `WARROOM_SEARCH_BENCH_DIR` puts the index there instead of a temporary dir.

use criterion::{BenchmarkId, Criterion};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};
use warroom_domain::{AgencyId, Distribution, GroupId, ReportId, ReportKind, Tlp, UserId};
use warroom_search::{Filter, Query, Scope, SearchIndex};
use warroom_store::{ChangedReport, ReportRecord};
use warroom_wire::ReportBody;

const BATCH: usize = 10_000;
const AGENCIES: usize = 40;
const GROUPS: usize = 8;
const PAGE: usize = 20;

#[rustfmt::skip]
const TH: &[&str] = &[
    "ตำรวจ", "มิจฉาชีพ", "โทร", "บัญชี", "ธนาคาร", "โอนเงิน", "เงิน", "ผู้เสียหาย", "แจ้ง", "ความ",
    "ลงทุน", "คริปโต", "หลอก", "ข้อความ", "ไลน์", "พัสดุ", "ศุลกากร", "ยาเสพติด", "ฟอกเงิน", "คดี",
    "หมายจับ", "อายัด", "ตรวจสอบ", "เจ้าหน้าที่", "กรุงเทพ", "เชียงใหม่", "ชาย", "หญิง", "อายุ",
    "ปี", "บาท", "วัน", "เดือน", "รายได้", "งาน", "ออนไลน์", "ทำงาน", "บ้าน", "แอป", "เงินกู้",
    "ดอกเบี้ย", "ขู่", "ภาพ", "แฟน", "ต่างประเทศ", "กัมพูชา", "เมียนมา", "ชายแดน", "แก๊ง", "ค่าย",
    "โรงแรม", "หนังสือเดินทาง", "นายหน้า", "สัญญา", "ค่าจ้าง", "กักขัง", "ทำร้าย", "หลบหนี",
    "ช่วยเหลือ", "สถานทูต", "โทรศัพท์", "หมายเลข", "ลิงก์", "เว็บไซต์", "รหัส", "ยืนยัน", "ตัวตน",
    "บัตร", "ประชาชน", "สินค้า", "ราคา", "กำไร", "ผลตอบแทน", "ทอง", "หุ้น", "กลุ่ม", "สมาชิก",
    "ผู้ต้องหา", "จับกุม", "ตรวจค้น", "ยึด", "ของกลาง", "คอมพิวเตอร์", "ซิมการ์ด", "เครื่อง",
    "พยาน", "หลักฐาน", "สอบสวน", "ผู้กำกับ", "สถานี", "ภูธร", "นครบาล", "ไซเบอร์", "ทางการ",
    "ร่วมมือ", "ญี่ปุ่น", "อินเดีย", "อเมริกา",
];
#[rustfmt::skip]
const TH_GLUE: &[&str] = &[
    "และ", "ที่", "ได้", "ให้", "ว่า", "เป็น", "มา", "ไป", "ของ", "กับ", "จาก",
];

#[rustfmt::skip]
const JA: &[&str] = &[
    "警察", "警察官", "口座", "銀行", "振込", "詐欺", "電話", "被害者", "男", "女性", "現金", "カード", "暗証番号", "還付金", "役所",
    "職員", "息子", "会社", "投資", "暗号資産", "連絡", "宅配便", "荷物", "逮捕", "容疑者", "特殊詐欺", "東京", "大阪", "名古屋", "福岡",
    "高齢者", "弁護士", "示談金", "携帯", "メール", "サイト", "アプリ", "送金", "手数料", "利益", "副業", "求人", "拠点", "組織", "指示",
    "受け子", "出し子", "かけ子", "リーダー", "タイ", "カンボジア", "フィリピン", "入国", "旅券", "偽造", "名義", "契約", "解約", "残高",
    "確認", "封筒", "自宅", "訪問", "家族", "病院", "事故", "費用", "請求", "未払い", "料金", "裁判", "通知", "番号", "情報", "漏洩",
    "捜査", "押収", "証拠", "防犯", "相談", "窓口", "被害", "金額", "万円", "合計", "何度", "翌日", "先月", "今年",
];
const JA_GLUE: &[&str] = &["を", "が", "に", "から", "と", "は", "で", "の", "へ", "も"];
#[rustfmt::skip]
const JA_VERB: &[&str] = &[
    "名乗る", "言われた", "使われた", "振り込んだ", "渡した", "送った", "逮捕された", "連絡した", "確認した", "求められた", "だまされた",
    "引き出した",
];

#[rustfmt::skip]
const HI: &[&str] = &[
    "पुलिस", "अधिकारी", "फोन", "बैंक", "खाता", "पैसे", "ठगी", "साइबर", "अपराध", "गिरफ्तार",
    "डिजिटल", "कॉल", "वीडियो", "धमकी", "पार्सल", "कूरियर", "ड्रग्स", "सीबीआई", "मुंबई", "दिल्ली",
    "आधार", "कार्ड", "ओटीपी", "लिंक", "निवेश", "शेयर", "बाजार", "नौकरी", "व्यक्ति", "महिला",
    "पीड़ित", "रुपये", "लाख", "हजार", "शिकायत", "थाना", "मामला", "जांच", "आरोपी", "गिरोह", "विदेश",
    "कंबोडिया", "म्यांमार", "थाईलैंड", "एजेंट", "पासपोर्ट", "वीज़ा", "टेलीग्राम", "व्हाट्सएप", "ऐप",
    "लोन", "ब्याज", "तस्वीर", "परिवार", "बेटा", "पिता", "कंपनी", "कस्टम", "विभाग", "नंबर", "संदेश",
    "खाते", "भुगतान", "यूपीआई", "क्रिप्टो", "मुनाफा", "समूह", "सदस्य", "अदालत", "वारंट",
    "गिरफ्तारी", "सबूत", "बरामद", "सिम",
];
#[rustfmt::skip]
const HI_GLUE: &[&str] = &[
    "ने", "को", "से", "में", "का", "की", "और", "है", "था", "किया", "कहा", "बनकर", "गया",
];

#[rustfmt::skip]
const EN: &[&str] = &[
    "police", "officer", "bank", "account", "transfer", "money", "scam", "victim", "called",
    "claimed", "investment", "crypto", "telegram", "whatsapp", "line", "parcel", "customs",
    "arrest", "warrant", "video", "threatened", "loan", "app", "interest", "photos", "romance",
    "dating", "profile", "platform", "profit", "withdraw", "fee", "tax", "deposit", "wallet",
    "usdt", "binance", "job", "task", "commission", "recruiter", "passport", "visa", "border",
    "compound", "cambodia", "myanmar", "thailand", "japan", "india", "trafficking", "forced",
    "labour", "escaped", "rescued", "embassy", "broker", "contract", "salary", "debt", "syndicate",
    "call", "centre", "sim", "cards", "seized", "suspect", "laptop", "phones", "evidence", "court",
    "complaint", "lost", "savings", "elderly", "son", "daughter", "accident", "hospital", "lawyer",
    "settlement", "courier", "cash",
];
#[rustfmt::skip]
const EN_GLUE: &[&str] = &[
    "the", "a", "to", "and", "of", "in", "was", "her", "his", "by", "from", "with", "for", "on",
];

#[rustfmt::skip]
const SYLLABLES: &[&str] = &[
    "som", "chai", "ta", "na", "ka", "wat", "ra", "pong", "ku", "mar", "shi", "ro", "ya", "ma",
    "no", "ri", "dev", "an", "sin", "gh", "pra", "kit", "lee", "wong", "ja", "son",
];

/// splitmix64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    /// Zipf (s = 1) over `items` in rank order.
    fn zipf<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let n = items.len() as f64;
        let h = (n + 1.0).ln();
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        let rank = ((u * h).exp() - 1.0).floor() as usize;
        items[rank.min(items.len() - 1)]
    }
}

fn tail_token(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => (0..2 + rng.below(2)).map(|_| rng.pick(SYLLABLES)).collect(),
        1 => format!("08{}", 10_000_000 + rng.below(89_999_999)),
        _ => format!("{}-{}-{}", rng.below(999), rng.below(9), rng.below(99_999)),
    }
}

fn sentence(rng: &mut Rng, lang: &str) -> String {
    let words = 5 + rng.below(10);
    let mut s = String::new();
    for i in 0..words {
        match lang {
            "th" => {
                s.push_str(if i % 3 == 2 {
                    rng.pick(TH_GLUE)
                } else {
                    rng.zipf(TH)
                });
                if rng.below(8) == 0 {
                    s.push(' ');
                }
            }
            "ja" => {
                s.push_str(rng.zipf(JA));
                s.push_str(rng.pick(JA_GLUE));
                if i + 1 == words {
                    s.push_str(rng.pick(JA_VERB));
                }
            }
            "hi" => {
                s.push_str(if i % 3 == 2 {
                    rng.pick(HI_GLUE)
                } else {
                    rng.zipf(HI)
                });
                s.push(' ');
            }
            _ => {
                s.push_str(if i % 3 == 2 {
                    rng.pick(EN_GLUE)
                } else {
                    rng.zipf(EN)
                });
                s.push(' ');
            }
        }
        if rng.below(25) == 0 {
            s.push_str(&tail_token(rng));
            s.push(' ');
        }
    }
    s.push_str(match lang {
        "ja" => "。",
        "hi" => "। ",
        "th" => " ",
        _ => ". ",
    });
    s
}

fn narrative(rng: &mut Rng) -> (String, &'static str) {
    let lang = ["th", "th", "th", "ja", "ja", "hi", "hi", "en", "en", "en"][rng.below(10)];
    let mut text = String::new();
    for _ in 0..2 + rng.below(5) {
        // One sentence in five is in another language (quotes, names, pasted messages).
        let l = if rng.below(5) == 0 {
            ["th", "ja", "hi", "en"][rng.below(4)]
        } else {
            lang
        };
        text.push_str(&sentence(rng, l));
    }
    (text, lang)
}

struct World {
    agencies: Vec<AgencyId>,
    groups: Vec<GroupId>,
    /// The groups each agency is in.
    member_of: Vec<Vec<GroupId>>,
}

fn world(rng: &mut Rng) -> World {
    let agencies: Vec<AgencyId> = (0..AGENCIES).map(|_| AgencyId::random()).collect();
    let groups: Vec<GroupId> = (0..GROUPS).map(|_| GroupId::random()).collect();
    let member_of = (0..AGENCIES)
        .map(|_| {
            (0..GROUPS)
                .filter(|_| rng.below(3) == 0)
                .map(|g| groups[g])
                .collect()
        })
        .collect();
    World {
        agencies,
        groups,
        member_of,
    }
}

fn report(rng: &mut Rng, w: &World, seq: u64) -> ChangedReport {
    let (text, lang) = narrative(rng);
    let marking = match rng.below(10) {
        0 => Tlp::Clear,
        1..=4 => Tlp::Green,
        5..=7 => Tlp::Amber,
        8 => Tlp::AmberStrict,
        _ => Tlp::Red,
    };
    let mut distribution = Distribution::default();
    for _ in 0..1 + rng.below(3) {
        distribution
            .agencies
            .insert(w.agencies[rng.below(AGENCIES)]);
    }
    if marking == Tlp::Amber {
        for _ in 0..rng.below(3) {
            distribution.groups.insert(w.groups[rng.below(GROUPS)]);
        }
    }
    let body = ReportBody {
        narrative: text,
        language: Some(lang.to_owned()),
        loss: None,
        entities: Vec::new(),
        relationships: Vec::new(),
    };
    let at = jiff::Timestamp::from_second(1_700_000_000 + seq as i64 * 30).unwrap_or_default();
    ChangedReport {
        rev: seq,
        seq,
        report: ReportRecord {
            id: ReportId::random(),
            owner: w.agencies[rng.below(AGENCIES)],
            author: UserId::random(),
            kind: ReportKind::ALL[rng.below(ReportKind::ALL.len())],
            marking,
            distribution,
            methods: vec![
                ["fake_police", "pig_butchering", "romance", "loan_app"][rng.below(4)].to_owned(),
            ],
            victim_country: None,
            occurred_at: None,
            reported_at: at,
            recorded_at: at,
            version: 1,
            retracted_at: None,
            hit_notices: true,
            fingerprint: [0; 32],
            entities: Vec::new(),
            body: serde_json::to_string(&body).unwrap_or_default(),
        },
    }
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

/// CPU seconds this process has used (user + system), from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Waits until the background merges after the build are done (the process idles).
fn settle() -> Duration {
    let start = Instant::now();
    loop {
        let before = cpu_seconds();
        std::thread::sleep(Duration::from_secs(1));
        if cpu_seconds() - before < 0.05 || start.elapsed() > Duration::from_secs(600) {
            return start.elapsed();
        }
    }
}

fn scope(rng: &mut Rng, w: &World) -> Scope {
    let i = rng.below(AGENCIES);
    Scope {
        agency: w.agencies[i],
        groups: w.member_of[i].clone(),
        red: rng.below(2) == 0,
    }
}

/// Search texts of one kind, drawn across the four languages and the frequency range.
fn texts(rng: &mut Rng, words: usize, n: usize) -> Vec<String> {
    let vocab: [&[&str]; 4] = [TH, JA, HI, EN];
    (0..n)
        .map(|_| {
            let v = vocab[rng.below(4)];
            (0..words)
                .map(|_| {
                    // Half common (top 10), half anywhere in the vocabulary.
                    if rng.below(2) == 0 {
                        v[rng.below(10)]
                    } else {
                        v[rng.below(v.len())]
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn percentiles(mut d: Vec<Duration>) -> (Duration, Duration, Duration) {
    d.sort();
    let at = |p: f64| d[((d.len() as f64 * p) as usize).min(d.len() - 1)];
    (at(0.5), at(0.99), d[d.len() - 1])
}

fn main() {
    let n: usize = std::env::var("WARROOM_SEARCH_BENCH_REPORTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Rng(42);
    let w = world(&mut rng);
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let dir = std::env::var_os("WARROOM_SEARCH_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("index"));
    let index = SearchIndex::in_dir(&dir).unwrap_or_else(|e| panic!("index: {e}"));

    let start = Instant::now();
    let mut generating = Duration::ZERO;
    let mut narrative_bytes = 0usize;
    let mut seq = 0u64;
    while (seq as usize) < n {
        let g = Instant::now();
        let batch: Vec<ChangedReport> = (0..BATCH.min(n - seq as usize))
            .map(|_| {
                seq += 1;
                report(&mut rng, &w, seq)
            })
            .collect();
        generating += g.elapsed();
        narrative_bytes += batch.iter().map(|c| c.report.body.len()).sum::<usize>();
        index.apply(&batch).unwrap_or_else(|e| panic!("apply: {e}"));
    }
    let build = start.elapsed() - generating;
    println!(
        "indexed {} reports in {:.1} s ({:.0} reports/s; generating them took another {:.1} s)",
        index.doc_count(),
        build.as_secs_f64(),
        n as f64 / build.as_secs_f64(),
        generating.as_secs_f64()
    );
    println!(
        "index on disk: {:.1} MiB; process memory: {}; stored bodies average {} bytes",
        dir_size(&dir) as f64 / (1 << 20) as f64,
        memory(),
        narrative_bytes / n.max(1)
    );

    println!(
        "background merges finished {:.0} s after the last commit; index on disk now {:.1} MiB",
        settle().as_secs_f64(),
        dir_size(&dir) as f64 / (1 << 20) as f64
    );
    let kinds = [
        ("one word", texts(&mut rng, 1, 1000)),
        ("two words", texts(&mut rng, 2, 1000)),
    ];
    let scopes: Vec<Scope> = (0..1000).map(|_| scope(&mut rng, &w)).collect();
    let q = |text: &str, scope: &Scope| Query {
        text: text.to_owned(),
        scope: scope.clone(),
        filter: Filter::default(),
        offset: 0,
        limit: PAGE,
    };
    // The first search of each scope computes its readable sets (see scope_cache.rs); it is
    // timed apart from the steady state.
    let mut seen = std::collections::HashSet::new();
    let mut cold = Vec::new();
    for (name, texts) in &kinds {
        let mut times = Vec::with_capacity(texts.len());
        let mut hits = 0;
        for (text, scope) in texts.iter().zip(&scopes) {
            let t = Instant::now();
            let found = index.search(&q(text, scope)).unwrap_or_default();
            let elapsed = t.elapsed();
            if seen.insert((scope.agency, scope.red)) {
                cold.push(elapsed);
            } else {
                times.push(elapsed);
            }
            hits += found.len();
        }
        let searches = times.len();
        let (p50, p99, max) = percentiles(times);
        println!(
            "{name}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms over {searches} searches ({:.1} results a page on average)",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3,
            hits as f64 / texts.len() as f64
        );
    }
    let scopes_seen = cold.len();
    let (p50, _, max) = percentiles(cold);
    println!(
        "first search of a scope: p50 {:.2} ms, max {:.2} ms over {scopes_seen} scopes",
        p50.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
    );

    let mut c = Criterion::default().sample_size(50).configure_from_args();
    let mut group = c.benchmark_group(format!("search_{n}"));
    for (name, texts) in &kinds {
        let mut i = 0;
        group.bench_function(BenchmarkId::new("page_of_20", name), |b| {
            b.iter(|| {
                i = (i + 1) % texts.len();
                black_box(index.search(&q(&texts[i], &scopes[i])).unwrap_or_default())
            })
        });
    }
    group.finish();
    c.final_summary();
}
