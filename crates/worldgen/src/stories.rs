//! Victims' own words, per language and method: an opening, what the scammer said, how the
//! money went, and what happened after. Pieces are chosen among those whose identifiers the
//! victim actually has, so every identifier in the text is one the report lists.

use crate::country::Cc;
use crate::narrative::{english_slips, fill};
use crate::rng::{WRng, chance, index};
use crate::syndicates::Method;

/// What a victim knows and writes.
#[derive(Debug, Default)]
pub(crate) struct Story {
    pub lang: &'static str,
    pub method: Option<Method>,
    pub date: String,
    pub caller: Option<String>,
    pub handle: Option<String>,
    pub account: Option<String>,
    pub link: Option<String>,
    pub wallet: Option<String>,
    pub email: Option<String>,
    pub amount: Option<String>,
    pub payments: usize,
    /// A hotline or bank number the victim called afterwards.
    pub hotline: Option<String>,
    /// Whether that number is the bank's (not the police's).
    pub hotline_bank: bool,
    /// The legitimate number the caller ID showed.
    pub spoofed: Option<String>,
    pub claimed: &'static str,
    /// Cash or cards handed to a collector instead of a transfer.
    pub cash: bool,
}

/// A template whose slots are all known, chosen at random; `None` when none fits.
fn choose(rng: &mut WRng, templates: &[&str], slots: &[(&str, &str)]) -> Option<String> {
    let fits: Vec<&&str> = templates
        .iter()
        .filter(|t| {
            let mut rest = **t;
            while let Some(i) = rest.find('{') {
                let after = &rest[i + 1..];
                let Some(j) = after.find('}') else { break };
                if !slots.iter().any(|(k, _)| *k == &after[..j]) {
                    return false;
                }
                rest = &after[j + 1..];
            }
            true
        })
        .collect();
    if fits.is_empty() {
        return None;
    }
    Some(fill(fits[index(rng, fits.len())], slots))
}

struct Lang {
    call: &'static [&'static str],
    chat: &'static [&'static str],
    sms: &'static [&'static str],
    body: fn(Method) -> &'static [&'static str],
    generic: &'static [&'static str],
    pay_account: &'static [&'static str],
    pay_wallet: &'static [&'static str],
    pay_cash: &'static [&'static str],
    lost: &'static [&'static str],
    spoof: &'static [&'static str],
    email: &'static [&'static str],
    closing: &'static [&'static str],
    hotline: &'static [&'static str],
    bank: &'static [&'static str],
    sep: &'static str,
}

const TH: Lang = Lang {
    call: &[
        "เมื่อวันที่ {date} มีเบอร์ {caller} โทรเข้ามาหาดิฉัน",
        "วันที่ {date} ผมได้รับสายจากเบอร์ {caller}",
        "ช่วงบ่ายวันที่ {date} มีคนโทรมาจากหมายเลข {caller} ค่ะ",
    ],
    chat: &[
        "วันที่ {date} มีคนแอดไลน์มาหาผม",
        "เริ่มจากวันที่ {date} มีคนทักมาทางแชท",
    ],
    sms: &[
        "{date} ได้รับ SMS จากเบอร์ {caller}",
        "วันที่ {date} มีข้อความจาก {caller}",
    ],
    body: |m| match m {
        Method::Official | Method::DigitalArrest => &[
            "อ้างว่าเป็นเจ้าหน้าที่ตำรวจ{claimed} บอกว่าบัญชีของดิฉันเกี่ยวข้องกับคดีฟอกเงิน ให้แอดไลน์ {handle} เพื่อวิดีโอคอลยืนยันตัวตน",
            "แจ้งว่ามีพัสดุผิดกฎหมายส่งในชื่อผม แล้วโอนสายไปให้คนที่อ้างว่าเป็นตำรวจ{claimed} ขู่ว่าจะออกหมายจับ",
            "อ้างเป็นตำรวจ{claimed} บอกว่าต้องโอนเงินทั้งหมดไปให้ตรวจสอบ ถ้าบริสุทธิ์จะคืนให้ภายใน 24 ชม.",
        ],
        Method::Parcel => &[
            "อ้างว่าเป็นพนักงาน {claimed} แจ้งว่าพัสดุของดิฉันตกค้าง ต้องชำระค่าธรรมเนียมผ่านลิงก์ {link}",
            "บอกว่าเป็น {claimed} ส่งของผิดที่ จะคืนเงินค่าสินค้าให้ ให้แอดไลน์ {handle} แล้วกดลิงก์",
        ],
        Method::Loan => &[
            "เห็นโฆษณาเงินกู้ด่วนไม่ต้องใช้คนค้ำในเฟซบุ๊ก กดลิงก์ {link} แล้วติดตั้งแอป ต้องโอนค่าธรรมเนียมก่อนถึงจะอนุมัติ",
            "แอดไลน์ {handle} เพื่อกู้เงิน 50,000 บาท เจ้าหน้าที่บอกว่าเลขบัญชีผิดต้องจ่ายค่าปลดล็อกก่อน",
        ],
        Method::FakeJob => &[
            "มีคนชวนทำงานออนไลน์กดไลก์สินค้าได้ค่าคอม ทักมาทาง {handle} ตอนแรกได้เงินจริง หลังจากนั้นให้เติมเงินทำภารกิจ",
            "สมัครงานแพ็คของทำที่บ้านผ่าน {handle} ให้จ่ายค่าประกันอุปกรณ์ก่อน",
        ],
        Method::PhishingSms => &[
            "ข้อความแจ้งว่าบัญชีธนาคารถูกระงับ ให้กดลิงก์ {link} เพื่อยืนยันตัวตน ผมกรอกข้อมูลไป",
            "SMS แจ้งว่าได้รับสิทธิ์เงินคืนภาษี ให้กดลิงก์ {link} แล้วโทรศัพท์ก็ถูกควบคุม",
        ],
        Method::Invest => &[
            "มีคนทักมาชวนลงทุนคริปโตผ่าน {handle} ให้สมัครเว็บ {link} ตอนแรกเห็นกำไรในระบบแต่ถอนไม่ได้",
            "รู้จักกันในกลุ่มลงทุนหุ้น มีโค้ชแนะนำให้ลงเงินเพิ่ม บอกว่าผลตอบแทน 30% ต่อเดือน",
        ],
        Method::Romance => &[
            "รู้จักกับชาวต่างชาติทางเฟซบุ๊ก คุยกันทาง {handle} ทุกวันเกือบสองเดือน ต่อมาขอให้ช่วยโอนเงินค่าภาษีพัสดุของขวัญ",
        ],
        Method::Tech | Method::Family => &["อ้างว่าเป็นญาติเดือดร้อนต้องใช้เงินด่วน"],
    },
    generic: &["อีกฝ่ายพูดจาน่าเชื่อถือมาก"],
    pay_account: &[
        "ดิฉันโอนเงินไปที่บัญชี {account} รวม {n} ครั้ง เป็นเงินทั้งหมด {amount}",
        "ผมหลงเชื่อจึงโอนเงิน {amount} เข้าบัญชี {account}",
        "ให้โอนเงินเข้าบัญชี {account} จำนวน {amount}",
    ],
    pay_wallet: &["จากนั้นให้ซื้อ USDT แล้วโอนไปที่กระเป๋า {wallet}"],
    pay_cash: &["ให้คนมารับเงินสด {amount} ที่บ้าน"],
    lost: &["เสียเงินไปทั้งหมด {amount}"],
    spoof: &["เบอร์ที่โชว์ขึ้นมาเป็นเบอร์ {spoofed} เลยเชื่อว่าเป็นของจริง"],
    email: &["มีอีเมลจาก {email} ส่งเอกสารปลอมมาด้วย"],
    closing: &[
        "หลังจากนั้นติดต่อไม่ได้อีกเลย",
        "ต่อมาถูกบล็อกไลน์",
        "ขอให้ตำรวจช่วยติดตามเงินคืนด้วยค่ะ",
        "รู้ตัวว่าถูกหลอกจึงมาแจ้งความครับ",
    ],
    hotline: &["ได้โทรแจ้ง {hotline} แล้ว", "โทรปรึกษาสายด่วน {hotline} แล้ว"],
    bank: &[
        "โทรไปที่ {hotline} เพื่ออายัดบัญชีแล้ว",
        "แจ้งธนาคารที่เบอร์ {hotline} แล้ว",
    ],
    sep: " ",
};

const JA: Lang = Lang {
    call: &[
        "{date}、{caller}から電話がありました。",
        "{date}の午後、知らない番号（{caller}）から着信があった。",
    ],
    chat: &[
        "{date}、SNSで知らない相手から連絡が来ました。",
        "{date}頃から、ネットで知り合った人とやり取りしていました。",
    ],
    sms: &["{date}、{caller}からSMSが届きました。"],
    body: |m| match m {
        Method::Official | Method::DigitalArrest => &[
            "{claimed}の警察官を名乗る男が「あなたの口座が詐欺事件に使われている」と言い、LINE（{handle}）でビデオ通話をするよう指示されました。",
            "{claimed}の刑事を名乗り、「逮捕状が出ている。資産を調べる必要がある」と言われた。",
        ],
        Method::Family => &[
            "息子を名乗る男から「会社のお金を使い込んでしまった、今日中に必要」と電話があり、その後上司を名乗る男に代わりました。",
            "孫を名乗る声で「風邪をひいて声が変」「小切手の入ったカバンをなくした」と言われた。",
        ],
        Method::PhishingSms | Method::Parcel => &[
            "「お荷物をお届けにあがりましたが不在のため持ち帰りました」という内容で、リンク（{link}）を開いてカード情報を入力してしまいました。",
            "銀行を名乗るメッセージで、{link} にアクセスしてIDとパスワードを入力した。",
            "{claimed}を名乗り、荷物に違法な物が入っていると言われた。",
        ],
        Method::Invest => &[
            "SNSで知り合った人から投資を勧められ、{handle}でやり取りし、{link}というサイトに登録しました。画面上では利益が出ていました。",
            "有名人の投資講座の広告から{handle}に誘導され、アシスタントを名乗る人物に暗号資産を勧められた。",
        ],
        Method::Romance => {
            &["マッチングアプリで知り合った外国人男性と{handle}で毎日連絡を取り合っていました。"]
        }
        _ => &["相手は丁寧な話し方で、疑いませんでした。"],
    },
    generic: &["相手は丁寧な話し方で、疑いませんでした。"],
    pay_account: &[
        "指示された口座（{account}）に{n}回に分けて合計{amount}を振り込みました。",
        "{account}へ{amount}を振り込んだ。",
    ],
    pay_wallet: &["暗号資産（USDT）を{wallet}に送金しました。"],
    pay_cash: &["自宅に来た男にキャッシュカードと現金{amount}を渡してしまいました。"],
    lost: &["被害額は{amount}です。"],
    spoof: &["着信表示は{spoofed}で、本物だと思いました。"],
    email: &["{email}から逮捕状の画像がメールで送られてきました。"],
    closing: &[
        "その後連絡が取れなくなりました。",
        "家族に相談して詐欺だと気づきました。",
        "被害金を取り戻したいです。",
    ],
    hotline: &[
        "{hotline}に相談しました。",
        "警察（{hotline}）に通報しました。",
    ],
    bank: &["銀行（{hotline}）に連絡して口座を止めてもらいました。"],
    sep: "",
};

const HI: Lang = Lang {
    call: &[
        "{date} को मुझे {caller} नंबर से कॉल आया।",
        "{date} को एक अनजान नंबर {caller} से फोन आया।",
    ],
    chat: &[
        "{date} को एक अनजान व्यक्ति ने ऑनलाइन संपर्क किया।",
        "{date} को मुझे एक मैसेज आया।",
    ],
    sms: &["{date} को {caller} से SMS आया।"],
    body: |m| match m {
        Method::DigitalArrest | Method::Official => &[
            "कॉल करने वाले ने खुद को {claimed} का अधिकारी बताया और कहा कि मेरे आधार कार्ड से मनी लॉन्ड्रिंग हुई है। फिर व्हाट्सएप ({handle}) पर वीडियो कॉल करके मुझे 'डिजिटल अरेस्ट' में रखा और किसी से बात न करने को कहा।",
            "उन्होंने कहा कि मेरे नाम पर FIR दर्ज है और {claimed} मुझे गिरफ्तार करेगी, जाँच के लिए पैसे 'सुरक्षित खाते' में भेजने होंगे।",
        ],
        Method::Parcel => &[
            "उन्होंने कहा कि मेरे नाम से एक पार्सल पकड़ा गया है जिसमें ड्रग्स और नकली पासपोर्ट हैं।",
            "{claimed} से होने का दावा किया और कहा पार्सल कस्टम में रुका है, लिंक {link} पर फीस भरनी होगी।",
        ],
        Method::FakeJob => &[
            "{handle} ने पार्ट टाइम जॉब का ऑफर दिया, यूट्यूब वीडियो लाइक करने पर पैसे। पहले थोड़े पैसे मिले, फिर 'टास्क' के लिए पैसे जमा करने को कहा।",
        ],
        Method::Invest => &[
            "{handle} ने शेयर और क्रिप्टो में निवेश पर भारी मुनाफे का लालच दिया और {link} पर अकाउंट बनवाया।",
        ],
        _ => &["उसकी बातों पर मुझे भरोसा हो गया।"],
    },
    generic: &["उसकी बातों पर मुझे भरोसा हो गया।"],
    pay_account: &[
        "मैंने डर के मारे {account} में {amount} ट्रांसफर कर दिए।",
        "कुल {n} बार में {amount} ({account}) में भेजे।",
    ],
    pay_wallet: &["फिर USDT वॉलेट {wallet} में पैसे भेजने को कहा।"],
    pay_cash: &["एक आदमी घर आकर {amount} नकद ले गया।"],
    lost: &["कुल {amount} का नुकसान हुआ।"],
    spoof: &["कॉलर आईडी पर {spoofed} दिख रहा था।"],
    email: &["{email} से एक नकली गिरफ्तारी वारंट भी भेजा गया।"],
    closing: &[
        "उसके बाद नंबर बंद हो गया।",
        "कृपया मेरे पैसे वापस दिलाने में मदद करें।",
        "बाद में पता चला कि यह धोखाधड़ी थी।",
    ],
    hotline: &["मैंने {hotline} पर शिकायत दर्ज की है।"],
    bank: &["मैंने बैंक ({hotline}) को फोन करके खाता ब्लॉक कराया।"],
    sep: " ",
};

const EN: Lang = Lang {
    call: &[
        "On {date} I got a call from {caller}.",
        "I received a call from {caller} on {date}.",
    ],
    chat: &[
        "On {date}, someone I did not know messaged me.",
        "It started on {date} with a message from a stranger.",
    ],
    sms: &["On {date} I got a text message from {caller}."],
    body: |m| match m {
        Method::Tech => &[
            "A pop-up on my laptop said my computer was infected and to call support. They asked me to install AnyDesk and log into my bank so they could 'secure' it.",
            "The caller said he was from the fraud department and that hackers were using my account. He told me to move my money to a safe account.",
            "I was told my computer had been hacked and to go to {link} to download a security tool.",
        ],
        Method::Invest => &[
            "We started chatting on {handle}. She showed me her profits on a crypto platform {link} and helped me open an account.",
            "A wrong-number text turned into a friendship. He introduced me to his 'uncle' who trades gold and told me to register on {link}.",
        ],
        Method::Romance => &[
            "I met him online and we talked every day on {handle} for weeks. He said he was an engineer on an oil rig and needed money for customs fees.",
            "We talked on {handle} for two months. She said she was stuck at customs in Bangkok and needed help.",
        ],
        Method::Official | Method::DigitalArrest => &[
            "The caller said he was from the {claimed} and that my identity was linked to drug trafficking and money laundering.",
            "They claimed to be from {claimed} and said a parcel in my name had drugs. They kept me on a video call on {handle} for hours and said I was under digital arrest.",
        ],
        Method::Parcel => &[
            "The message said my package from {claimed} could not be delivered and asked me to pay a small fee at {link}.",
            "They said they were from {claimed} and a parcel in my name was seized by customs.",
        ],
        Method::FakeJob => &[
            "I was offered a part-time job rating hotels online through {handle}. At first I was paid, then I had to deposit money to unlock tasks.",
        ],
        Method::Loan => &[
            "I applied for a quick loan through an app from {link}. They said my account number was wrong and I had to pay to unfreeze the loan.",
        ],
        Method::PhishingSms => &[
            "The text said my bank account was suspended and to verify at {link}. I entered my details.",
        ],
        Method::Family => &[
            "He said he was my grandson and had been arrested, and that I must not tell his parents.",
        ],
    },
    generic: &["They sounded very professional."],
    pay_account: &[
        "I sent {amount} to {account} in {n} transfers.",
        "I wired {amount} to {account}.",
        "They told me to transfer {amount} to {account}.",
    ],
    pay_wallet: &[
        "They told me to buy crypto and send it to {wallet}.",
        "I deposited crypto to the wallet {wallet}.",
    ],
    pay_cash: &["A courier came to my house and took {amount} in cash."],
    lost: &["In total I lost {amount}."],
    spoof: &["The caller ID showed {spoofed} so I thought it was real."],
    email: &["They also emailed me from {email} with an official-looking letter."],
    closing: &[
        "After that they stopped answering.",
        "Then they blocked me.",
        "Please help me get my money back.",
        "I realised it was a scam when they asked for more.",
    ],
    hotline: &[
        "I called {hotline} right away.",
        "I reported it at {hotline}.",
    ],
    bank: &["I reported it to my bank at {hotline}."],
    sep: " ",
};

fn lang(l: &str) -> &'static Lang {
    match l {
        "th" => &TH,
        "ja" => &JA,
        "hi" => &HI,
        _ => &EN,
    }
}

/// The victim's narrative.
pub(crate) fn victim(s: &Story, rng: &mut WRng) -> String {
    let l = lang(s.lang);
    let n = s.payments.max(1).to_string();
    let mut slots: Vec<(&str, &str)> = vec![("date", &s.date), ("n", &n), ("claimed", s.claimed)];
    for (k, v) in [
        ("caller", &s.caller),
        ("handle", &s.handle),
        ("account", &s.account),
        ("link", &s.link),
        ("wallet", &s.wallet),
        ("email", &s.email),
        ("amount", &s.amount),
        ("hotline", &s.hotline),
        ("spoofed", &s.spoofed),
    ] {
        if let Some(v) = v {
            slots.push((k, v.as_str()));
        }
    }
    let mut parts: Vec<String> = Vec::new();
    let order: [&[&str]; 3] = match s.method {
        Some(Method::PhishingSms) => [l.sms, l.call, l.chat],
        Some(Method::Invest | Method::Romance | Method::FakeJob) => [l.chat, l.call, l.sms],
        _ => [l.call, l.chat, l.sms],
    };
    if let Some(o) = order.iter().find_map(|list| choose(rng, list, &slots)) {
        parts.push(o);
    }
    if s.spoofed.is_some()
        && let Some(x) = choose(rng, l.spoof, &slots)
    {
        parts.push(x);
    }
    let body = s.method.map(l.body).unwrap_or(l.generic);
    parts.extend(choose(rng, body, &slots).or_else(|| choose(rng, l.generic, &slots)));
    if s.email.is_some() {
        parts.extend(choose(rng, l.email, &slots));
    }
    if s.account.is_some() {
        parts.extend(choose(rng, l.pay_account, &slots));
    }
    if s.wallet.is_some() {
        parts.extend(choose(rng, l.pay_wallet, &slots));
    }
    if s.cash {
        parts.extend(choose(rng, l.pay_cash, &slots));
    } else if s.account.is_none() && s.wallet.is_none() && s.amount.is_some() {
        parts.extend(choose(rng, l.lost, &slots));
    }
    parts.extend(choose(rng, l.closing, &slots));
    if s.hotline.is_some() {
        let list = if s.hotline_bank { l.bank } else { l.hotline };
        parts.extend(choose(rng, list, &slots));
    }
    let text = parts.join(l.sep);
    if s.lang == "en" && chance(rng, 0.4) {
        english_slips(&text, rng)
    } else {
        text
    }
}

/// Who the scammer claimed to be, in the victim's language, for a scam aimed at `target`.
pub(crate) fn claimed(method: Method, lang: &str, target: Cc, rng: &mut WRng) -> &'static str {
    let us = target == Cc::Us;
    let xs: &[&str] = match (method, lang) {
        (Method::Parcel, "th") => &["Kerry Express", "Flash Express", "ไปรษณีย์ไทย"],
        (_, "th") => &["สภ.เมืองเชียงใหม่", "กองบังคับการปราบปราม", "สน.ทองหล่อ", "DSI"],
        (Method::Parcel | Method::PhishingSms, "ja") => &["ヤマト運輸", "佐川急便", "日本郵便"],
        (_, "ja") => &["警視庁", "大阪府警", "神奈川県警"],
        (Method::Parcel, "hi") => &["FedEx", "DHL", "कस्टम विभाग"],
        (_, "hi") => &["CBI", "मुंबई पुलिस", "TRAI", "नारकोटिक्स ब्यूरो"],
        (Method::Parcel, _) if us => &["USPS", "FedEx", "UPS"],
        (Method::Parcel, _) => &["FedEx", "DHL"],
        (_, _) if us => &[
            "Social Security Administration",
            "FBI",
            "sheriff's office",
            "DEA",
        ],
        (_, _) if target == Cc::Th => &["Royal Thai Police", "DSI", "Immigration Bureau"],
        _ => &["CBI", "Mumbai Police", "TRAI", "Narcotics Control Bureau"],
    };
    xs[index(rng, xs.len())]
}
