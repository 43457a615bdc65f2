//! Name tables by nationality, in their own scripts with the romanisations agencies actually
//! use (Sato / Satou / Satō / Satoh; Somchai / Somchay; Srinivasan / Shrinivasan). The first
//! romanisation is the one on the person's passport.

/// Thai: script, romanisations.
pub(crate) type Thai = (&'static str, &'static [&'static str]);

pub(crate) const TH_GIVEN_M: &[Thai] = &[
    ("สมชาย", &["Somchai", "Somchay", "Somchaai"]),
    ("สมศักดิ์", &["Somsak", "Somsuk"]),
    ("วิชัย", &["Wichai", "Vichai", "Wichay"]),
    ("ประเสริฐ", &["Prasert", "Prasoet", "Prasird"]),
    ("สุริยา", &["Suriya", "Suriyaa", "Sooriya"]),
    ("อนุชา", &["Anucha", "Anuchar"]),
    ("ณัฐพล", &["Nattapon", "Natthaphon", "Nattaphol"]),
    ("ธนากร", &["Thanakorn", "Tanakorn", "Thanakon"]),
    ("กิตติ", &["Kitti", "Kittee"]),
    ("พรชัย", &["Pornchai", "Phonchai", "Pornchay"]),
    ("ชัยวัฒน์", &["Chaiwat", "Chaiwath", "Chaiwut"]),
    ("เอกชัย", &["Ekkachai", "Aekachai", "Ekachai"]),
];

pub(crate) const TH_GIVEN_F: &[Thai] = &[
    ("สุภาพร", &["Supaporn", "Suphaphon", "Supaphorn"]),
    ("มาลี", &["Malee", "Mali"]),
    ("วันเพ็ญ", &["Wanpen", "Wanphen"]),
    ("ศิริพร", &["Siriporn", "Siriphon", "Siriphorn"]),
    ("อรุณี", &["Arunee", "Arunii", "Aroonee"]),
    ("นภา", &["Napa", "Naphaa", "Napha"]),
    ("กัญญา", &["Kanya", "Kanyaa"]),
    ("ปิยะนุช", &["Piyanuch", "Piyanut"]),
];

pub(crate) const TH_FAMILY: &[Thai] = &[
    ("แสงทอง", &["Saengthong", "Sangthong", "Saengtong"]),
    ("ศรีสุข", &["Srisuk", "Sisuk", "Srisook"]),
    ("วงศ์สวัสดิ์", &["Wongsawat", "Vongsawat", "Wongsawad"]),
    ("บุญมา", &["Boonma", "Bunma"]),
    ("จันทร์แก้ว", &["Chankaew", "Jankaew", "Chankaeo"]),
    ("ทองดี", &["Thongdee", "Tongdee", "Thongdi"]),
    ("สุขสวัสดิ์", &["Suksawat", "Sooksawat", "Suksawad"]),
    ("พรหมมา", &["Promma", "Phromma"]),
    ("เพชรรัตน์", &["Petcharat", "Phetcharat", "Petcharut"]),
    ("อินทร์แก้ว", &["Inkaew", "Inkaeo"]),
    ("สมบูรณ์", &["Somboon", "Sombun", "Somboon"]),
    ("รักษ์ไทย", &["Rakthai", "Rukthai"]),
];

/// Japanese: kanji, an older or variant kanji form (or the same), katakana reading,
/// romanisations (Hepburn without macrons first, as on passports).
pub(crate) type Japanese = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

pub(crate) const JP_FAMILY: &[Japanese] = &[
    (
        "佐藤",
        "佐藤",
        "サトウ",
        &["Sato", "Satou", "Satō", "Satoh"],
    ),
    ("鈴木", "鈴木", "スズキ", &["Suzuki"]),
    ("高橋", "髙橋", "タカハシ", &["Takahashi"]),
    ("田中", "田中", "タナカ", &["Tanaka"]),
    ("伊藤", "伊藤", "イトウ", &["Ito", "Itou", "Itō", "Itoh"]),
    ("渡辺", "渡邊", "ワタナベ", &["Watanabe"]),
    ("山本", "山本", "ヤマモト", &["Yamamoto"]),
    ("中村", "中村", "ナカムラ", &["Nakamura"]),
    ("小林", "小林", "コバヤシ", &["Kobayashi"]),
    (
        "加藤",
        "加藤",
        "カトウ",
        &["Kato", "Katou", "Katō", "Katoh"],
    ),
    (
        "斎藤",
        "齋藤",
        "サイトウ",
        &["Saito", "Saitou", "Saitō", "Saitoh"],
    ),
    ("大野", "大野", "オオノ", &["Ono", "Oono", "Ōno", "Ohno"]),
];

pub(crate) const JP_GIVEN_M: &[Japanese] = &[
    ("翔太", "翔太", "ショウタ", &["Shota", "Shouta", "Shōta"]),
    ("大輔", "大輔", "ダイスケ", &["Daisuke"]),
    ("健一", "健一", "ケンイチ", &["Kenichi", "Ken'ichi"]),
    ("拓也", "拓也", "タクヤ", &["Takuya"]),
    ("隆", "隆", "タカシ", &["Takashi"]),
    ("誠", "誠", "マコト", &["Makoto"]),
    ("浩二", "浩二", "コウジ", &["Koji", "Kouji", "Kōji"]),
    ("優太", "優太", "ユウタ", &["Yuta", "Yuuta", "Yūta"]),
];

pub(crate) const JP_GIVEN_F: &[Japanese] = &[
    ("裕子", "裕子", "ユウコ", &["Yuko", "Yuuko", "Yūko"]),
    ("美咲", "美咲", "ミサキ", &["Misaki"]),
    ("陽子", "陽子", "ヨウコ", &["Yoko", "Youko", "Yōko"]),
    ("恵", "惠", "メグミ", &["Megumi"]),
    ("真由美", "真由美", "マユミ", &["Mayumi"]),
    ("彩", "彩", "アヤ", &["Aya"]),
];

/// Indian: Devanagari, romanisations.
pub(crate) type Indian = (&'static str, &'static [&'static str]);

pub(crate) const IN_GIVEN_M: &[Indian] = &[
    ("राजेश", &["Rajesh", "Rajessh"]),
    ("अमित", &["Amit", "Ameet"]),
    ("सुरेश", &["Suresh", "Sooresh"]),
    ("अनिल", &["Anil", "Aneel"]),
    ("विजय", &["Vijay", "Vijai", "Wijay"]),
    ("राहुल", &["Rahul", "Raahul"]),
    ("दीपक", &["Deepak", "Dipak"]),
    ("मोहम्मद", &["Mohammed", "Mohammad", "Mohamed"]),
    ("संजय", &["Sanjay", "Sanjai"]),
    ("अर्जुन", &["Arjun", "Arjoon"]),
];

pub(crate) const IN_GIVEN_F: &[Indian] = &[
    ("प्रिया", &["Priya", "Preeya"]),
    ("लक्ष्मी", &["Lakshmi", "Laxmi", "Lakshmy"]),
    ("सुनीता", &["Sunita", "Suneeta"]),
    ("अंजलि", &["Anjali", "Anjalee", "Anjalie"]),
    ("पूजा", &["Pooja", "Puja"]),
    ("नेहा", &["Neha", "Nehaa"]),
];

pub(crate) const IN_FAMILY: &[Indian] = &[
    ("श्रीनिवासन", &["Srinivasan", "Shrinivasan", "Sreenivasan"]),
    ("शर्मा", &["Sharma", "Sarma"]),
    ("कुमार", &["Kumar", "Kumaar"]),
    ("सिंह", &["Singh", "Sing"]),
    ("वर्मा", &["Verma", "Varma"]),
    ("पटेल", &["Patel", "Patil"]),
    ("यादव", &["Yadav", "Yadava"]),
    ("गुप्ता", &["Gupta", "Guptaa"]),
    ("रेड्डी", &["Reddy", "Reddi"]),
    ("नायर", &["Nair", "Nayar"]),
    ("चौधरी", &["Chaudhary", "Choudhary", "Chaudhari"]),
];

/// Chinese: simplified, the Japanese kanji form, romanisations (pinyin first, then the
/// Cantonese or Wade-Giles spellings other records use).
pub(crate) type Chinese = (&'static str, &'static str, &'static [&'static str]);

pub(crate) const CN_FAMILY: &[Chinese] = &[
    ("王", "王", &["Wang", "Wong"]),
    ("李", "李", &["Li", "Lee", "Lei"]),
    ("张", "張", &["Zhang", "Chang", "Cheung"]),
    ("陈", "陳", &["Chen", "Chan", "Tan"]),
    ("刘", "劉", &["Liu", "Lau", "Lao"]),
    ("赵", "趙", &["Zhao", "Chao", "Chiu"]),
    ("黄", "黄", &["Huang", "Wong", "Ng"]),
    ("林", "林", &["Lin", "Lam", "Lim"]),
    ("吴", "呉", &["Wu", "Ng", "Goh"]),
    ("徐", "徐", &["Xu", "Hsu", "Tsui"]),
];

pub(crate) const CN_GIVEN: &[Chinese] = &[
    ("伟", "偉", &["Wei", "Wai"]),
    ("明", "明", &["Ming"]),
    ("志强", "志強", &["Zhiqiang", "Chi-keung", "Chih-chiang"]),
    ("建华", "建華", &["Jianhua", "Kin-wah", "Chien-hua"]),
    ("海涛", "海涛", &["Haitao", "Hoi-to"]),
    ("国栋", "国棟", &["Guodong", "Kwok-tung"]),
    ("俊杰", "俊傑", &["Junjie", "Chun-kit"]),
    ("丽娟", "麗娟", &["Lijuan", "Lai-kuen"]),
    ("晓东", "暁東", &["Xiaodong", "Hsiao-tung"]),
    ("文", "文", &["Wen", "Man"]),
];

/// Myanmar names have no family name: two or three syllables, each with its spellings.
pub(crate) const MM_SYLLABLES: &[(&str, &[&str])] = &[
    ("Aung", &["Aung", "Aong"]),
    ("Kyaw", &["Kyaw", "Kyau", "Kyao"]),
    ("Min", &["Min", "Minn"]),
    ("Zaw", &["Zaw", "Zhaw"]),
    ("Htet", &["Htet", "Het"]),
    ("Thant", &["Thant", "Thandt"]),
    ("Soe", &["Soe", "So"]),
    ("Win", &["Win", "Winn"]),
    ("Naing", &["Naing", "Naihng"]),
    ("Tun", &["Tun", "Htun"]),
    ("Myo", &["Myo", "Myoe"]),
    ("Thein", &["Thein", "Thane"]),
    ("Oo", &["Oo", "U"]),
    ("Hla", &["Hla", "Hlaa"]),
];

/// Latin-script names: spelling, variants.
pub(crate) type Latin = (&'static str, &'static [&'static str]);

pub(crate) const US_GIVEN_M: &[Latin] = &[
    ("Michael", &["Michael", "Micheal"]),
    ("John", &["John", "Jon"]),
    ("Brian", &["Brian", "Bryan"]),
    ("Steven", &["Steven", "Stephen"]),
    ("Christopher", &["Christopher", "Kristopher"]),
    ("David", &["David"]),
    ("Robert", &["Robert"]),
];
pub(crate) const US_GIVEN_F: &[Latin] = &[
    ("Katherine", &["Katherine", "Catherine", "Kathryn"]),
    ("Sarah", &["Sarah", "Sara"]),
    ("Jennifer", &["Jennifer", "Jenifer"]),
    ("Ashley", &["Ashley", "Ashlee"]),
    ("Linda", &["Linda"]),
];
pub(crate) const US_FAMILY: &[Latin] = &[
    ("Miller", &["Miller", "Millar"]),
    ("Johnson", &["Johnson", "Jonson", "Johnsen"]),
    ("Smith", &["Smith", "Smyth"]),
    ("Rodriguez", &["Rodriguez", "Rodrigues"]),
    ("Thompson", &["Thompson", "Thomson"]),
    ("Anderson", &["Anderson", "Andersen"]),
    ("Garcia", &["Garcia"]),
    ("Williams", &["Williams"]),
];

pub(crate) const PH_GIVEN_M: &[Latin] = &[
    ("Juan", &["Juan"]),
    ("Jose", &["Jose", "José"]),
    ("Mark Anthony", &["Mark Anthony", "Marc Anthony"]),
    ("Jerome", &["Jerome"]),
];
pub(crate) const PH_GIVEN_F: &[Latin] = &[
    ("Maria", &["Maria", "Ma."]),
    ("Ana", &["Ana", "Anna"]),
    ("Kristine", &["Kristine", "Christine"]),
];
pub(crate) const PH_FAMILY: &[Latin] = &[
    ("Santos", &["Santos"]),
    ("Reyes", &["Reyes", "Reyez"]),
    ("Dela Cruz", &["Dela Cruz", "De la Cruz", "Delacruz"]),
    ("Bautista", &["Bautista"]),
];

pub(crate) const ID_GIVEN_M: &[Latin] = &[
    ("Agus", &["Agus"]),
    ("Budi", &["Budi", "Boedi"]),
    ("Rizky", &["Rizky", "Rizki"]),
];
pub(crate) const ID_GIVEN_F: &[Latin] = &[("Siti", &["Siti"]), ("Dewi", &["Dewi", "Dewie"])];
pub(crate) const ID_FAMILY: &[Latin] = &[
    ("Santoso", &["Santoso", "Santosa"]),
    ("Pratama", &["Pratama"]),
    ("Lestari", &["Lestari"]),
    ("Rahmawati", &["Rahmawati"]),
];

pub(crate) const KE_GIVEN_M: &[Latin] = &[("Brian", &["Brian", "Bryan"]), ("Kevin", &["Kevin"])];
pub(crate) const KE_GIVEN_F: &[Latin] = &[("Faith", &["Faith"]), ("Mercy", &["Mercy"])];
pub(crate) const KE_FAMILY: &[Latin] = &[
    ("Otieno", &["Otieno", "Otiyeno"]),
    ("Wanjiku", &["Wanjiku"]),
    ("Mwangi", &["Mwangi"]),
    ("Achieng", &["Achieng", "Akinyi"]),
];

pub(crate) const LK_GIVEN_M: &[Latin] = &[("Nuwan", &["Nuwan"]), ("Kasun", &["Kasun"])];
pub(crate) const LK_GIVEN_F: &[Latin] = &[("Dilani", &["Dilani", "Dilanee"])];
pub(crate) const LK_FAMILY: &[Latin] = &[
    ("Perera", &["Perera"]),
    ("Fernando", &["Fernando", "Fernandu"]),
    ("Silva", &["Silva", "De Silva"]),
];

/// Nicknames suspects go by, `{G}` and `{F}` standing for the given and family names.
pub(crate) const ALIASES: &[&str] = &[
    "Boss {F}",
    "Big {G}",
    "A-{G}",
    "Mr. {F}",
    "{G} the manager",
    "Lao {F}",
    "Uncle {G}",
];
