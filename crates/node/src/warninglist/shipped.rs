//! The warninglist warroom ships: values that appear in scam reports of the demo countries
//! (Thailand, Japan, India, the United States) without belonging to any scammer. Victims
//! list the hotline they called for help, the bank or courier whose caller ID was spoofed, the
//! platform a link pointed into; correlating on these would merge every case into one.
//!
//! Sources: each organisation's own published contact pages (numbers as printed there).
//! Short codes (1441, 1930, 110, ...) never become identifiers, since E.164 cannot represent
//! them; they are listed so that a search for them shows why they are noise.

/// (kind, value as written in its country, region, reason)
pub(crate) const SHIPPED: &[(&str, &str, &str, &str)] = &[
    // Police and government hotlines.
    (
        "phone",
        "1441",
        "TH",
        "Royal Thai Police anti-scam hotline (AOC 1441)",
    ),
    ("phone", "1599", "TH", "Royal Thai Police call centre"),
    ("phone", "1111", "TH", "Thai government contact centre"),
    ("phone", "191", "TH", "Thai police emergency number"),
    (
        "phone",
        "1212",
        "TH",
        "Thai online complaint centre (ETDA OCC)",
    ),
    ("phone", "1930", "IN", "Indian national cybercrime helpline"),
    ("phone", "112", "IN", "Indian emergency number"),
    ("phone", "#9110", "JP", "Japanese police consultation line"),
    ("phone", "110", "JP", "Japanese police emergency number"),
    ("phone", "188", "JP", "Japanese consumer hotline"),
    ("phone", "911", "US", "US emergency number"),
    (
        "phone",
        "1-877-382-4357",
        "US",
        "US Federal Trade Commission consumer helpline",
    ),
    // Banks' call centres (spoofed caller IDs, numbers victims called).
    ("phone", "02-888-8888", "TH", "Kasikornbank contact centre"),
    (
        "phone",
        "02-777-7777",
        "TH",
        "Siam Commercial Bank call centre",
    ),
    ("phone", "02-111-1111", "TH", "Krungthai Bank call centre"),
    ("phone", "1333", "TH", "Bangkok Bank call centre"),
    ("phone", "0120-108-420", "JP", "Japan Post Bank call centre"),
    (
        "phone",
        "1800 11 2211",
        "IN",
        "State Bank of India toll-free line",
    ),
    ("phone", "1800 202 6161", "IN", "HDFC Bank toll-free line"),
    ("phone", "1-800-935-9935", "US", "Chase customer service"),
    (
        "phone",
        "1-800-432-1000",
        "US",
        "Bank of America customer service",
    ),
    // Couriers (parcel scams spoof them).
    ("phone", "1217", "TH", "Kerry Express hotline"),
    ("phone", "1545", "TH", "Thailand Post call centre"),
    (
        "phone",
        "0120-01-9625",
        "JP",
        "Yamato Transport customer service",
    ),
    ("phone", "1800 266 6868", "IN", "India Post toll-free line"),
    ("phone", "1-800-275-8777", "US", "USPS customer service"),
    ("phone", "1-800-463-3339", "US", "FedEx customer service"),
    // Platforms everyone uses: a link into them says nothing about who sent it.
    ("domain", "facebook.com", "US", "Facebook (platform domain)"),
    (
        "domain",
        "instagram.com",
        "US",
        "Instagram (platform domain)",
    ),
    ("domain", "line.me", "JP", "LINE (platform domain)"),
    ("domain", "google.com", "US", "Google (platform domain)"),
    (
        "domain",
        "play.google.com",
        "US",
        "Google Play (app store domain)",
    ),
    (
        "domain",
        "apps.apple.com",
        "US",
        "Apple App Store (app store domain)",
    ),
    ("domain", "youtube.com", "US", "YouTube (platform domain)"),
    ("domain", "whatsapp.com", "US", "WhatsApp (platform domain)"),
    ("domain", "wa.me", "US", "WhatsApp links (platform domain)"),
    ("domain", "t.me", "US", "Telegram links (platform domain)"),
    ("domain", "tiktok.com", "US", "TikTok (platform domain)"),
    ("domain", "bit.ly", "US", "Bitly link shortener"),
    ("domain", "gmail.com", "US", "Gmail (free e-mail provider)"),
    (
        "domain",
        "outlook.com",
        "US",
        "Outlook (free e-mail provider)",
    ),
    (
        "domain",
        "hotmail.com",
        "US",
        "Hotmail (free e-mail provider)",
    ),
    (
        "domain",
        "yahoo.com",
        "US",
        "Yahoo! Mail (free e-mail provider)",
    ),
    (
        "domain",
        "proton.me",
        "US",
        "Proton Mail (free e-mail provider)",
    ),
    (
        "domain",
        "yahoo.co.jp",
        "JP",
        "Yahoo! Japan (platform and free e-mail)",
    ),
    (
        "domain",
        "anydesk.com",
        "US",
        "AnyDesk remote desktop (tool scammers make victims install)",
    ),
    (
        "domain",
        "teamviewer.com",
        "US",
        "TeamViewer remote desktop (tool scammers make victims install)",
    ),
    // Official reporting sites.
    (
        "domain",
        "ic3.gov",
        "US",
        "FBI Internet Crime Complaint Center",
    ),
    (
        "domain",
        "reportfraud.ftc.gov",
        "US",
        "US Federal Trade Commission fraud reporting",
    ),
    (
        "domain",
        "cybercrime.gov.in",
        "IN",
        "Indian national cybercrime reporting portal",
    ),
    (
        "domain",
        "thaipoliceonline.go.th",
        "TH",
        "Thai police online reporting",
    ),
    (
        "domain",
        "thaipoliceonline.com",
        "TH",
        "Thai police online reporting",
    ),
];
