//! The taxonomy of scam methods (modus operandi), with public descriptions in th, en, ja, hi.

/// A scam method. `Proposed` holds a method an analyst proposed that is not yet in the
/// taxonomy (its slug).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ScamMethod {
    OfficialImpersonation,
    DigitalArrest,
    ParcelCourier,
    InvestmentPigButchering,
    Romance,
    FakeJobTask,
    LoanApp,
    TechSupport,
    FamilyEmergency,
    Sextortion,
    PhishingSms,
    Proposed(String),
}

/// Public text for one method in one language.
#[derive(Clone, Copy, Debug)]
pub struct MethodText {
    pub name: &'static str,
    pub advice: &'static str,
}

impl ScamMethod {
    pub const KNOWN: [ScamMethod; 11] = [
        ScamMethod::OfficialImpersonation,
        ScamMethod::DigitalArrest,
        ScamMethod::ParcelCourier,
        ScamMethod::InvestmentPigButchering,
        ScamMethod::Romance,
        ScamMethod::FakeJobTask,
        ScamMethod::LoanApp,
        ScamMethod::TechSupport,
        ScamMethod::FamilyEmergency,
        ScamMethod::Sextortion,
        ScamMethod::PhishingSms,
    ];

    pub fn slug(&self) -> &str {
        match self {
            ScamMethod::OfficialImpersonation => "official_impersonation",
            ScamMethod::DigitalArrest => "digital_arrest",
            ScamMethod::ParcelCourier => "parcel_courier",
            ScamMethod::InvestmentPigButchering => "investment_pig_butchering",
            ScamMethod::Romance => "romance",
            ScamMethod::FakeJobTask => "fake_job_task",
            ScamMethod::LoanApp => "loan_app",
            ScamMethod::TechSupport => "tech_support",
            ScamMethod::FamilyEmergency => "family_emergency",
            ScamMethod::Sextortion => "sextortion",
            ScamMethod::PhishingSms => "phishing_sms",
            ScamMethod::Proposed(s) => s,
        }
    }

    /// A known slug, or a proposed method when the slug is well-formed (`[a-z0-9_]{1,64}`).
    pub fn parse(slug: &str) -> Option<Self> {
        if let Some(m) = Self::KNOWN.iter().find(|m| m.slug() == slug) {
            return Some(m.clone());
        }
        let ok = !slug.is_empty()
            && slug.len() <= 64
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        ok.then(|| ScamMethod::Proposed(slug.to_owned()))
    }

    /// Name and public advice in `lang` (`th`, `en`, `ja`, `hi`); English for other languages.
    pub fn text(&self, lang: &str) -> Option<MethodText> {
        let i = match lang {
            "th" => 0,
            "ja" => 2,
            "hi" => 3,
            _ => 1,
        };
        let t: [(&'static str, &'static str); 4] = match self {
            ScamMethod::OfficialImpersonation => [
                (
                    "แอบอ้างเป็นเจ้าหน้าที่ตำรวจหรือหน่วยงานรัฐ",
                    "ตำรวจไม่โทรขอให้โอนเงินเพื่อตรวจสอบ วางสายแล้วโทรกลับเบอร์ทางการ 1441",
                ),
                (
                    "Police or official impersonation",
                    "Police never ask you to transfer money for 'verification'. Hang up and call the official number.",
                ),
                (
                    "警察官・公的機関をかたる詐欺",
                    "警察がお金の振込みを求めることはありません。電話を切り、公式番号にかけ直してください。",
                ),
                (
                    "पुलिस या सरकारी अधिकारी बनकर धोखा",
                    "पुलिस कभी 'सत्यापन' के लिए पैसे ट्रांसफर करने को नहीं कहती। फोन काटें और आधिकारिक नंबर 1930 पर कॉल करें।",
                ),
            ],
            ScamMethod::DigitalArrest => [
                (
                    "การจับกุมทางดิจิทัล (ข่มขู่ผ่านวิดีโอคอล)",
                    "ไม่มีการจับกุมผ่านวิดีโอคอล อย่าโอนเงินและอย่าอยู่ในสายตามคำสั่ง",
                ),
                (
                    "'Digital arrest' by video call",
                    "There is no such thing as an arrest by video call. Do not pay; end the call and report it.",
                ),
                (
                    "ビデオ通話による「デジタル逮捕」",
                    "ビデオ通話で逮捕されることはありません。支払わずに通話を終了し、通報してください。",
                ),
                (
                    "'डिजिटल अरेस्ट' वीडियो कॉल धोखा",
                    "वीडियो कॉल पर कोई गिरफ्तारी नहीं होती। पैसे न दें, कॉल काटें और 1930 पर शिकायत करें।",
                ),
            ],
            ScamMethod::ParcelCourier => [
                (
                    "พัสดุผิดกฎหมาย / บริษัทขนส่ง",
                    "บริษัทขนส่งไม่ขอข้อมูลบัญชีธนาคารทางโทรศัพท์ ตรวจสอบกับบริษัทโดยตรง",
                ),
                (
                    "Parcel or courier scam",
                    "Couriers do not ask for bank details by phone. Check with the company directly.",
                ),
                (
                    "宅配便・荷物をかたる詐欺",
                    "宅配業者が電話で口座情報を聞くことはありません。会社に直接確認してください。",
                ),
                (
                    "कूरियर / पार्सल धोखा",
                    "कूरियर कंपनियाँ फोन पर बैंक विवरण नहीं माँगतीं। कंपनी से सीधे पुष्टि करें।",
                ),
            ],
            ScamMethod::InvestmentPigButchering => [
                (
                    "หลอกลงทุน (หมูสับ)",
                    "ผลตอบแทนสูงผิดปกติคือสัญญาณอันตราย อย่าโอนเงินให้คนที่รู้จักทางออนไลน์เท่านั้น",
                ),
                (
                    "Investment scam ('pig butchering')",
                    "Unusually high returns are a warning sign. Never invest through someone you only know online.",
                ),
                (
                    "投資詐欺（ロマンス投資）",
                    "高すぎる利回りは危険信号です。ネットだけの知り合いを通じて投資しないでください。",
                ),
                (
                    "निवेश धोखा ('पिग बुचरिंग')",
                    "असामान्य रूप से ऊँचा रिटर्न चेतावनी का संकेत है। केवल ऑनलाइन जान-पहचान वाले के कहने पर निवेश न करें।",
                ),
            ],
            ScamMethod::Romance => [
                ("หลอกให้รัก (โรแมนซ์สแกม)", "อย่าโอนเงินให้คนที่ยังไม่เคยพบตัวจริง"),
                (
                    "Romance scam",
                    "Never send money to someone you have not met in person.",
                ),
                (
                    "ロマンス詐欺",
                    "会ったことのない相手にお金を送らないでください。",
                ),
                (
                    "रोमांस धोखा",
                    "जिससे आप कभी व्यक्तिगत रूप से नहीं मिले, उसे पैसे न भेजें।",
                ),
            ],
            ScamMethod::FakeJobTask => [
                (
                    "งานออนไลน์ปลอม / งานทำภารกิจ / งานต่างประเทศปลอม",
                    "งานที่ให้จ่ายเงินก่อนหรือเสนอเงินเดือนสูงในต่างประเทศอาจเป็นการค้ามนุษย์",
                ),
                (
                    "Fake job or task scam",
                    "Jobs that ask you to pay first, or offer high pay abroad, may be fraud or trafficking.",
                ),
                (
                    "偽の求人・タスク詐欺",
                    "先に支払いを求める仕事や高収入の海外求人は、詐欺や人身取引の可能性があります。",
                ),
                (
                    "फर्जी नौकरी / टास्क धोखा",
                    "जो नौकरी पहले पैसे माँगे या विदेश में ऊँची तनख्वाह का वादा करे, वह धोखा या मानव तस्करी हो सकती है।",
                ),
            ],
            ScamMethod::LoanApp => [
                (
                    "แอปเงินกู้ผิดกฎหมาย",
                    "ตรวจสอบผู้ให้กู้กับธนาคารแห่งประเทศไทยก่อนติดตั้งแอป",
                ),
                (
                    "Illegal loan app",
                    "Check the lender is licensed before installing an app or paying any fee.",
                ),
                (
                    "違法な融資アプリ",
                    "アプリを入れる前に、貸金業者の登録を確認してください。",
                ),
                (
                    "अवैध लोन ऐप",
                    "ऐप इंस्टॉल करने से पहले जाँचें कि ऋणदाता RBI से पंजीकृत है।",
                ),
            ],
            ScamMethod::TechSupport => [
                (
                    "หลอกเป็นฝ่ายช่วยเหลือด้านเทคนิค",
                    "อย่าติดตั้งโปรแกรมควบคุมเครื่องตามคำขอของคนแปลกหน้า",
                ),
                (
                    "Tech support scam",
                    "Never install remote-control software because a caller or pop-up tells you to.",
                ),
                (
                    "サポート詐欺",
                    "電話や画面の警告に従って遠隔操作ソフトを入れないでください。",
                ),
                (
                    "टेक सपोर्ट धोखा",
                    "किसी कॉलर या पॉप-अप के कहने पर रिमोट कंट्रोल सॉफ़्टवेयर इंस्टॉल न करें।",
                ),
            ],
            ScamMethod::FamilyEmergency => [
                ("แอบอ้างเป็นญาติเดือดร้อน", "วางสายแล้วโทรกลับหาญาติด้วยเบอร์ที่รู้จัก"),
                (
                    "Family emergency ('ore ore') scam",
                    "Hang up and call your relative back on the number you know.",
                ),
                (
                    "オレオレ詐欺",
                    "いったん電話を切り、知っている番号で家族にかけ直してください。",
                ),
                (
                    "परिवार आपातकाल धोखा",
                    "फोन काटें और अपने परिजन को उनके जाने-पहचाने नंबर पर कॉल करें।",
                ),
            ],
            ScamMethod::Sextortion => [
                ("แบล็กเมล์ทางเพศ", "อย่าจ่ายเงิน เก็บหลักฐานและแจ้งตำรวจ"),
                (
                    "Sextortion",
                    "Do not pay. Keep the evidence and report it to the police.",
                ),
                (
                    "セクストーション",
                    "支払わずに証拠を保存し、警察に相談してください。",
                ),
                ("सेक्सटॉर्शन", "पैसे न दें। सबूत रखें और पुलिस को सूचना दें।"),
            ],
            ScamMethod::PhishingSms => [
                ("SMS ฟิชชิ่ง / ลิงก์ปลอม", "อย่ากดลิงก์ใน SMS ที่ขอข้อมูลหรือให้ติดตั้งแอป"),
                (
                    "Phishing SMS and links",
                    "Do not open links in messages that ask for details or to install an app.",
                ),
                (
                    "フィッシングSMS",
                    "情報の入力やアプリのインストールを求めるSMSのリンクは開かないでください。",
                ),
                (
                    "फ़िशिंग SMS / लिंक",
                    "जानकारी माँगने या ऐप इंस्टॉल कराने वाले SMS के लिंक न खोलें।",
                ),
            ],
            ScamMethod::Proposed(_) => return None,
        };
        let (name, advice) = t[i];
        Some(MethodText { name, advice })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_method_has_text_in_four_languages_and_round_trips() {
        for m in ScamMethod::KNOWN {
            assert_eq!(ScamMethod::parse(m.slug()), Some(m.clone()));
            for lang in ["th", "en", "ja", "hi"] {
                let t = m.text(lang).expect("text");
                assert!(!t.name.is_empty() && !t.advice.is_empty());
            }
            assert_ne!(m.text("th").map(|t| t.name), m.text("en").map(|t| t.name));
        }
    }

    #[test]
    fn proposed_methods_need_a_well_formed_slug() {
        assert_eq!(
            ScamMethod::parse("qr_code_swap"),
            Some(ScamMethod::Proposed("qr_code_swap".into()))
        );
        assert_eq!(ScamMethod::parse("Bad Slug"), None);
        assert_eq!(ScamMethod::parse(""), None);
    }
}
