//! What officers, analysts, bank fraud desks and immigration write: money traces, intelligence
//! notes, arrests and raids, SIM-box findings, arrival records, trafficking referrals and public
//! advisories, in the agency's language.

use crate::narrative::fill;
use crate::rng::{WRng, index};

fn one(rng: &mut WRng, xs: &[&str], slots: &[(&str, &str)]) -> String {
    fill(xs[index(rng, xs.len())], slots)
}

/// One hop of a money trace as written: from, to, amount, time.
pub(crate) struct Hop {
    pub from: String,
    pub to: String,
    pub amount: String,
    pub time: String,
}

pub(crate) fn trace(lang: &str, victim: &str, hops: &[Hop], rng: &mut WRng) -> String {
    let (head, hop, tail): (&[&str], &str, &str) = match lang {
        "th" => (
            &[
                "ผลการตรวจสอบเส้นทางการเงินตามคำร้องของผู้เสียหาย {victim}:",
                "รายงานธุรกรรมต้องสงสัย (ผู้เสียหาย {victim}):",
            ],
            "{from} โอน {amount} ไปยัง {to} เวลา {time}",
            "พบลักษณะบัญชีม้าหลายทอด ขอให้ระงับบัญชีที่เกี่ยวข้อง",
        ),
        "ja" => (
            &[
                "被害者 {victim} の被害金の流れ:",
                "不正送金の追跡結果（被害者: {victim}）:",
            ],
            "{time} {from} から {to} へ {amount}",
            "複数の口座を経由した資金移動が確認された。関係口座の凍結を要請する。",
        ),
        _ => (
            &[
                "Funds-flow analysis following the complaint of {victim}:",
                "Suspicious transaction trace (victim: {victim}):",
                "Layering observed on proceeds reported by {victim}:",
            ],
            "{time}: {from} -> {to}, {amount}",
            "Layered mule accounts; accounts above flagged and referred for freezing.",
        ),
    };
    let mut out = one(rng, head, &[("victim", victim)]);
    for h in hops {
        out.push('\n');
        out.push_str(&fill(
            hop,
            &[
                ("from", &h.from),
                ("to", &h.to),
                ("amount", &h.amount),
                ("time", &h.time),
            ],
        ));
    }
    out.push('\n');
    out.push_str(tail);
    out
}

pub(crate) fn intel(lang: &str, group: &str, compound: &str, desk: &str, rng: &mut WRng) -> String {
    let xs: &[&str] = match lang {
        "th" => &[
            "ข้อมูลข่าวกรอง: แก๊ง {group} ตั้งฐานคอลเซ็นเตอร์ที่ {compound} มีทีมหลอกลวงเหยื่อชาว{desk} เบอร์โทรและบัญชีด้านล่างถูกใช้ในช่วงนี้",
            "สืบทราบว่ากลุ่ม {group} ใช้หมายเลขและบัญชีต่อไปนี้ ผู้ต้องสงสัยพักอยู่ใน {compound}",
        ],
        "ja" => &[
            "{compound}を拠点とする{group}が{desk}向けの詐欺を行っている。以下の番号・口座が使用されている。",
            "捜査情報: {group}の関係者及び使用ツールを下記のとおり確認した（拠点: {compound}）。",
        ],
        "hi" => &[
            "खुफिया सूचना: {group} गिरोह {compound} से {desk} नागरिकों को निशाना बना रहा है। नीचे दिए नंबर और खाते इसी गिरोह के हैं।",
        ],
        _ => &[
            "Intelligence: the {group} call centre operating from {compound} runs a desk targeting {desk} victims. The identifiers below were attributed through complaints and device extraction.",
            "Source reporting links the following persons and identifiers to {group}, based in {compound}.",
            "Link analysis: identifiers below recur in complaints attributed to {group} ({compound}).",
        ],
    };
    one(
        rng,
        xs,
        &[("group", group), ("compound", compound), ("desk", desk)],
    )
}

pub(crate) fn arrest(lang: &str, name: &str, place: &str, group: &str, rng: &mut WRng) -> String {
    let xs: &[&str] = match lang {
        "th" => &[
            "จับกุม {name} ที่ {place} ในข้อหาเปิดบัญชีม้าและถอนเงินผู้เสียหายส่งให้แก๊ง {group} ตรวจยึดโทรศัพท์และสมุดบัญชี",
            "ควบคุมตัว {name} ได้ที่ {place} รับสารภาพว่ารับจ้างเปิดบัญชีให้กลุ่ม {group}",
        ],
        "ja" => &[
            "{place}で受け子の{name}を逮捕。{group}の指示で被害者宅からキャッシュカードを受け取っていた。押収した携帯電話の解析を進めている。",
        ],
        "hi" => &[
            "{place} में {name} को गिरफ्तार किया गया, जो {group} के लिए म्यूल खाते उपलब्ध कराता था। मोबाइल फोन और पासबुक जब्त।",
        ],
        _ => &[
            "{name} was arrested at {place} for collecting and forwarding victims' funds on behalf of {group}. Phones and bank cards seized.",
            "Arrest of {name} at {place}: money mule recruiter working for {group}.",
        ],
    };
    one(
        rng,
        xs,
        &[("name", name), ("place", place), ("group", group)],
    )
}

pub(crate) fn raid(
    lang: &str,
    compound: &str,
    group: &str,
    detained: usize,
    rescued: usize,
    rng: &mut WRng,
) -> String {
    let d = detained.to_string();
    let r = rescued.to_string();
    let xs: &[&str] = match lang {
        "th" => &[
            "ปฏิบัติการร่วมตรวจค้น {compound} ควบคุมตัวผู้ต้องสงสัย {d} ราย ช่วยเหลือแรงงานต่างชาติ {r} ราย ตรวจยึดโทรศัพท์และซิมการ์ดจำนวนมาก (กลุ่ม {group})",
        ],
        "ja" => &[
            "{compound}への合同捜索で{d}人を拘束、外国人{r}人を保護。{group}が使用していた端末を押収した。",
        ],
        _ => &[
            "Joint operation at {compound}: {d} suspects detained, {r} foreign workers rescued. Handsets and SIM cards used by {group} seized.",
        ],
    };
    one(
        rng,
        xs,
        &[
            ("compound", compound),
            ("group", group),
            ("d", &d),
            ("r", &r),
        ],
    )
}

pub(crate) fn telco(lang: &str, place: &str, sims: usize, rng: &mut WRng) -> String {
    let n = sims.to_string();
    let xs: &[&str] = match lang {
        "th" => &[
            "ตรวจพบ SIM box บริเวณ {place} หมุนเวียนซิม {n} หมายเลข โทรออกต่างประเทศจำนวนมากผิดปกติ IMEI และหมายเลขตามรายการ",
        ],
        _ => &[
            "SIM-box detected near {place}: {n} SIM cards cycled through the devices below with abnormal outbound call volume.",
        ],
    };
    one(rng, xs, &[("place", place), ("n", &n)])
}

/// Arrival or checkpoint record.
pub(crate) fn travel(
    lang: &str,
    name: &str,
    nat: &str,
    place: &str,
    flight: &str,
    purpose: &str,
    rng: &mut WRng,
) -> String {
    // The flight, when there is one, follows the place.
    let place = if flight.is_empty() {
        place.to_owned()
    } else {
        format!("{place} {flight}")
    };
    let xs: &[&str] = match lang {
        "th" => &["บันทึกการเดินทาง: {name} สัญชาติ {nat} ผ่าน {place} แจ้งวัตถุประสงค์ {purpose}"],
        _ => &[
            "Travel record: {name} ({nat}) passed {place}. Declared purpose: {purpose}.",
            "Entry record for {name}, {nat} national, at {place}; purpose stated: {purpose}.",
        ],
    };
    one(
        rng,
        xs,
        &[
            ("name", name),
            ("nat", nat),
            ("place", &place),
            ("purpose", purpose),
        ],
    )
}

/// A trafficking referral from the victim's home country.
#[allow(clippy::too_many_arguments)]
pub(crate) fn referral(
    lang: &str,
    name: &str,
    handle: &str,
    airport: &str,
    town: &str,
    compound: &str,
    front: &str,
    target: &str,
    rng: &mut WRng,
) -> String {
    let xs: &[&str] = match lang {
        "ja" => &[
            "{name}さんはSNS（{handle}）で「タイでのカスタマーサポート、月給40万円」という求人を見て応募。{airport}に到着後、車で{town}に移動し、川を渡って{compound}に連れて行かれた。パスポートを取り上げられ、{target}向けの詐欺を強要された。求人元は「{front}」を名乗っていた。",
        ],
        "hi" => &[
            "{name} को {handle} के ज़रिए थाईलैंड में डेटा एंट्री की नौकरी का ऑफर मिला। {airport} पहुँचने के बाद उन्हें गाड़ी से {town} ले जाया गया और नदी पार कराकर {compound} पहुँचाया गया। पासपोर्ट छीन लिया गया और {target} के लोगों से धोखाधड़ी करने को मजबूर किया गया। भर्ती करने वाली कंपनी: {front}।",
        ],
        "th" => &[
            "{name} ถูกชักชวนทาง {handle} ให้ไปทำงานแอดมินเงินเดือนสูง เดินทางไป {town} แล้วถูกพาข้ามแดนไปที่ {compound} ถูกยึดหนังสือเดินทางและบังคับให้หลอกลวงเหยื่อชาว{target} ผู้จัดหางานอ้างชื่อบริษัท {front}",
        ],
        _ => &[
            "{name} answered a job advertisement from {handle} for a customer-service role in Bangkok. After landing at {airport} the victim was driven to {town} and taken across the border to {compound}, where their passport was confiscated and they were forced to defraud {target} victims. The recruiter used the name {front}.",
            "Referral: {name} was recruited by {handle} ({front}), flew into {airport}, was moved via {town} to {compound} and held there to work in a scam call centre targeting {target}. Victim has since been repatriated.",
        ],
    };
    one(
        rng,
        xs,
        &[
            ("name", name),
            ("handle", handle),
            ("airport", airport),
            ("town", town),
            ("compound", compound),
            ("front", front),
            ("target", target),
        ],
    )
}
