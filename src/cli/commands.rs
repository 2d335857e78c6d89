//! The one list of subcommands. Dispatch, `kitle --help`, each subcommand's
//! `--help`, and the "did you mean" message for a mistyped command all read it, so
//! a command can't be runnable but missing from the help, or the other way round.

use std::ffi::OsString;

use anyhow::Result;

use super::args::{Args, Flag, OUT, switch, value, values};

/// A subcommand: its name, how to call it, the flags it takes, and what runs it.
pub struct Subcommand {
    pub name: &'static str,
    /// How to call it: lines for `--help` (`kitle NAME …`).
    pub usage: &'static str,
    /// Notes for `--help` after the usage lines (credentials, value syntax …).
    pub notes: &'static str,
    pub flags: &'static [Flag],
    /// Plain words it takes before or between flags (the workspace, a directory …).
    pub positional: usize,
    pub run: fn(Args) -> Result<String>,
}

const AS_OF: Flag = value("as-of");
const JSON: Flag = switch("json");

/// The usage's first line.
const HEADER: &str = "\
Kitle: customer segments from your spreadsheets.

Usage:
  kitle [WORKSPACE.kitle | FILE.csv|.xlsx|.xls|.ods]   open the desktop app
";

const LOG_NOTES: &str = "\
log lists the workspace's export record, oldest first: every upload file written and
every batch sent to or removed from an ad platform, by the app or the command line,
with its time, destination, audience, member count, the fields sent and the file or
list. The record (WS.audiences/exports.jsonl) never holds the identifiers themselves.
";

const LOOKALIKE_NOTES: &str = "\
lookalike scores every customer outside the seed segment by how much they look like
its members (naive Bayes over the store's own fields, never names, e-mails or phones),
measures the model on a held-out fifth (AUC: 0.5 is chance, 1.0 perfect) and lists
the top share. As a segment rule: lookalike of \"VIP\" in top 5%.
";

const COHORT_NOTES: &str = "\
cohorts groups customers by the period of their first counted order and shows, for
each period since, active customers, retention, orders, revenue and cumulative LTV
per customer. Where spend data covers a cohort's period: its CAC and the first period
its cumulative LTV (times the workspace's gross margin, when set) pays it back.
--real converts every amount to lira of one month (--base, default the as-of month)
by a price index: a CSV or Excel file of months and values, such as TCMB EVDS's
consumer price index TP.FG.J0, or the index saved in the workspace.
";

const STORE_NOTES: &str = "\
connect pulls a store's customers and orders into a private local copy beside the
workspace (WS-store/), so it opens offline; refresh pulls only what changed since.
Credentials come from KITLE_SHOPIFY_TOKEN (an older custom app's Admin API access
token), or KITLE_SHOPIFY_CLIENT_ID / KITLE_SHOPIFY_CLIENT_SECRET (a Dev Dashboard app's
client ID and secret, exchanged for a token that Kitle renews when it expires), or
KITLE_WOO_KEY / KITLE_WOO_SECRET (the REST API consumer key and secret), or the
variables named with --token-env / --client-id-env / --client-secret-env / --key-env /
--secret-env, or the system keychain.
";

const PUSH_NOTES: &str = "\
--push sends what changed since the last push through the platform's API. The token
comes from --token, KITLE_GOOGLE_TOKEN / KITLE_META_TOKEN, or the system keychain
(--remember-token keeps a given one there); it is never saved anywhere else. The
endpoint from --endpoint or KITLE_GOOGLE_ENDPOINT / KITLE_META_ENDPOINT. Account and
list ids are saved in the workspace for the next push.
";

const MAP_NOTES: &str = "\
--map applies to every file given; a field is a canonical id (ltv, email …),
custom, custom:TYPE (text, category, number, money, integer, date, bool, list) or ignore.
--consent takes İYS's consent export (recipient, type EPOSTA/MESAJ/ARAMA, status
ONAY/RET, date): each customer's latest EPOSTA record sets accepts_marketing and
their latest MESAJ record sets sms_consent, matched by e-mail and phone.
";

/// Every subcommand, in the order `--help` lists them.
pub const SUBCOMMANDS: &[Subcommand] = &[
    Subcommand {
        name: "import",
        usage: "kitle import [--customers F] [--orders F] [--spend F] [--consent F] [--sheet NAME]
             [--map \"Header=field\" ...] [--as-of YYYY-MM-DD] [--json] -o WS.kitle",
        notes: MAP_NOTES,
        flags: &[
            values("customers"),
            values("orders"),
            values("spend"),
            values("consent"),
            value("sheet"),
            values("map"),
            OUT,
            AS_OF,
            JSON,
        ],
        positional: 0,
        run: super::import,
    },
    Subcommand {
        name: "summary",
        usage: "kitle summary WS.kitle [--as-of YYYY-MM-DD] [--from YYYY-MM-DD --to YYYY-MM-DD] [--json]",
        notes: "",
        flags: &[AS_OF, value("from"), value("to"), JSON],
        positional: 1,
        run: super::summary,
    },
    Subcommand {
        name: "customers",
        usage: "kitle customers WS.kitle [--format csv|json] [--limit N] [--as-of YYYY-MM-DD]",
        notes: "",
        flags: &[AS_OF, value("format"), value("limit")],
        positional: 1,
        run: super::customers,
    },
    Subcommand {
        name: "segment",
        usage: "kitle segment WS.kitle (--rule \"TEXT\" | --name \"Saved name\") [--as-of YYYY-MM-DD] [--json]
              [--sql duckdb|postgres|bigquery|snowflake]
              [--members out.csv|out.xlsx] [--repeat N]
kitle segment WS.kitle (--rule \"TEXT\" | --name \"Saved name\") --describe [--lang tr|en] [--json]
kitle segment WS.kitle --name \"Saved name\" --changes [--json]",
        notes: "",
        flags: &[
            AS_OF,
            JSON,
            value("sql"),
            value("rule"),
            value("name"),
            value("members"),
            value("repeat"),
            switch("changes"),
            switch("describe"),
            value("lang"),
        ],
        positional: 1,
        run: super::segment,
    },
    Subcommand {
        name: "segments",
        usage: "kitle segments WS.kitle [--as-of YYYY-MM-DD] [--json]",
        notes: "",
        flags: &[AS_OF, JSON],
        positional: 1,
        run: super::segments,
    },
    Subcommand {
        name: "overlap",
        usage: "kitle overlap WS.kitle [--as-of YYYY-MM-DD] [--json]",
        notes: "",
        flags: &[AS_OF, JSON],
        positional: 1,
        run: super::insight::overlap,
    },
    Subcommand {
        name: "why",
        usage: "kitle why WS.kitle (--segment NAME | --rule \"TEXT\") --customer ID_OR_EMAIL [--json]",
        notes: "",
        flags: &[value("segment"), value("rule"), value("customer"), AS_OF, JSON],
        positional: 1,
        run: super::insight::why,
    },
    Subcommand {
        name: "audience",
        usage: "kitle audience WS.kitle (--segment NAME | --rule \"TEXT\") --platform google|meta|tiktok|hashed|email_list|sms_list
               (-o FILE | --preview --json) [--all] [--country TR]
kitle audience WS.kitle --name AUDIENCE [--platform P] (-o FILE | --preview --json)
kitle audience WS.kitle --name AUDIENCE --push [--dry-run] [--platform google|meta]
               [--account ID] [--list ID] [--login-account ID] [--endpoint URL]
               [--token T [--remember-token]] [--json]",
        notes: PUSH_NOTES,
        flags: &[
            value("segment"),
            value("rule"),
            value("name"),
            value("platform"),
            OUT,
            switch("preview"),
            JSON,
            switch("all"),
            value("country"),
            AS_OF,
            switch("push"),
            switch("dry-run"),
            value("token"),
            switch("remember-token"),
            value("endpoint"),
            value("account"),
            value("login-account"),
            value("list"),
        ],
        positional: 1,
        run: super::audience_or_push,
    },
    Subcommand {
        name: "log",
        usage: "kitle log WS.kitle [--json]",
        notes: LOG_NOTES,
        flags: &[JSON],
        positional: 1,
        run: super::audience::log,
    },
    Subcommand {
        name: "personas",
        usage: "kitle personas WS.kitle [--json]",
        notes: "",
        flags: &[JSON, AS_OF],
        positional: 1,
        run: super::persona::personas,
    },
    Subcommand {
        name: "persona",
        usage: "kitle persona add WS.kitle --file P.json
kitle persona draft WS.kitle --segment NAME [--json]",
        notes: "",
        flags: &[value("file"), value("segment"), JSON],
        positional: 2,
        run: super::persona::persona,
    },
    Subcommand {
        name: "fit",
        usage: "kitle fit WS.kitle (--persona NAME | --persona-file P.json) [--segment NAME | --rule \"TEXT\"]
          [--as-of YYYY-MM-DD] [--json]",
        notes: "",
        flags: &[value("persona"), value("persona-file"), value("segment"), value("rule"), AS_OF, JSON],
        positional: 1,
        run: super::persona::fit_command,
    },
    Subcommand {
        name: "rfm",
        usage: "kitle rfm WS.kitle [--as-of YYYY-MM-DD] [--json]",
        notes: "",
        flags: &[AS_OF, JSON],
        positional: 1,
        run: super::explore::rfm,
    },
    Subcommand {
        name: "crosstab",
        usage: "kitle crosstab WS.kitle --rows FIELD --cols FIELD [--measure count|avg_ltv|revenue|avg_p_alive] [--json]",
        notes: "",
        flags: &[value("rows"), value("cols"), value("measure"), AS_OF, JSON],
        positional: 1,
        run: super::explore::crosstab,
    },
    Subcommand {
        name: "predict",
        usage: "kitle predict WS.kitle [--as-of YYYY-MM-DD] [--unit days|weeks] [--customer ID --horizon N] [--holdout] [--json]",
        notes: "",
        flags: &[AS_OF, value("unit"), value("customer"), value("horizon"), switch("holdout"), JSON],
        positional: 1,
        run: super::explore::predict,
    },
    Subcommand {
        name: "clusters",
        usage: "kitle clusters WS.kitle [--k N] [--field NUMBER_FIELD ...] [--json]",
        notes: "",
        flags: &[value("k"), values("field"), AS_OF, JSON],
        positional: 1,
        run: super::explore::clusters,
    },
    Subcommand {
        name: "suggest",
        usage: "kitle suggest WS.kitle [--min-share 0.01] [--json]",
        notes: "",
        flags: &[AS_OF, value("min-share"), JSON],
        positional: 1,
        run: super::explore::suggest,
    },
    Subcommand {
        name: "lookalike",
        usage: "kitle lookalike WS.kitle --seed \"Saved name\" [--top 5%] [--as-of YYYY-MM-DD] [--json]",
        notes: LOOKALIKE_NOTES,
        flags: &[value("seed"), value("top"), AS_OF, JSON],
        positional: 1,
        run: super::explore::lookalike,
    },
    Subcommand {
        name: "cohorts",
        usage: "kitle cohorts WS.kitle [--period month|quarter|week] [--by channel|first_product|first_category|city|segment:NAME] [--real [--index FILE] [--base YYYY-MM]] [--as-of YYYY-MM-DD] [--json]",
        notes: COHORT_NOTES,
        flags: &[value("period"), value("by"), switch("real"), value("index"), value("base"), AS_OF, JSON],
        positional: 1,
        run: super::explore::cohorts,
    },
    Subcommand {
        name: "connect",
        usage: "kitle connect shopify --store DOMAIN_OR_URL [--token-env VAR | --client-id-env VAR --client-secret-env VAR] [--api-version V] [--json] -o WS.kitle
kitle connect woocommerce --store URL [--key-env VAR --secret-env VAR] [--paid-status STATUS]... [--json] -o WS.kitle",
        notes: STORE_NOTES,
        flags: &[
            value("store"),
            value("token-env"),
            value("client-id-env"),
            value("client-secret-env"),
            value("key-env"),
            value("secret-env"),
            values("paid-status"),
            value("api-version"),
            AS_OF,
            OUT,
            JSON,
        ],
        positional: 1,
        run: super::connect::connect,
    },
    Subcommand {
        name: "refresh",
        usage: "kitle refresh WS.kitle [--json]",
        notes: "",
        flags: &[JSON],
        positional: 1,
        run: super::connect::refresh,
    },
    Subcommand {
        name: "demo",
        usage: "kitle demo DIR [--customers N] [--seed N]",
        notes: "",
        flags: &[value("customers"), value("seed")],
        positional: 1,
        run: super::demo,
    },
    Subcommand { name: "help", usage: "kitle help", notes: "", flags: &[], positional: 0, run: |_| Ok(usage()) },
];

/// Words that ask for the usage instead of a command.
pub const HELP_WORDS: [&str; 2] = ["--help", "-h"];

/// The subcommand of this name.
pub fn find(name: &str) -> Option<&'static Subcommand> {
    SUBCOMMANDS.iter().find(|c| c.name == name)
}

/// Every subcommand's name, in the table's order.
pub fn names() -> impl Iterator<Item = &'static str> {
    SUBCOMMANDS.iter().map(|c| c.name)
}

fn indented(lines: &str) -> String {
    lines.lines().map(|l| format!("  {l}\n")).collect()
}

/// `kitle --help`: every command's usage, then the notes.
pub fn usage() -> String {
    let mut out = HEADER.to_owned();
    for command in SUBCOMMANDS.iter().filter(|c| c.name != "help") {
        out += &indented(command.usage);
    }
    for command in SUBCOMMANDS.iter().filter(|c| !c.notes.is_empty()) {
        out += "\n";
        out += command.notes;
    }
    out
}

/// `kitle NAME --help`: that command's usage and notes.
pub fn command_usage(command: &Subcommand) -> String {
    let mut out = format!("Usage:\n{}", indented(command.usage));
    if !command.notes.is_empty() {
        out += "\n";
        out += command.notes;
    }
    out += "\nkitle help lists every command.\n";
    out
}

/// Runs `kitle NAME ARGS…`: the command's `--help`, or the command itself.
pub fn dispatch(name: &str, rest: Vec<OsString>) -> Result<String> {
    let Some(command) = find(name) else { return Ok(usage()) };
    if rest.iter().any(|a| HELP_WORDS.iter().any(|h| a == h)) {
        return Ok(command_usage(command));
    }
    (command.run)(Args::parse(rest, command.flags, command.positional)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_lists_every_command_once_and_each_command_has_its_own() {
        let all = usage();
        for command in SUBCOMMANDS.iter().filter(|c| c.name != "help") {
            let first = command.usage.lines().next().unwrap_or_default();
            assert_eq!(all.matches(first).count(), 1, "{}", command.name);
            assert!(first.starts_with(&format!("kitle {}", command.name)), "{first}");
            let own = command_usage(command);
            assert!(own.contains(first) && !own.contains("kitle demo DIR") || command.name == "demo", "{own}");
        }
        let names: Vec<&str> = names().collect();
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(names, unique);
    }

    #[test]
    fn every_flag_a_usage_names_is_declared() {
        for command in SUBCOMMANDS {
            for word in command.usage.split(|c: char| c.is_whitespace() || "[]()|".contains(c)) {
                let Some(long) = word.strip_prefix("--") else { continue };
                let long = long.trim_end_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
                if long.is_empty() || HELP_WORDS.contains(&word) {
                    continue;
                }
                assert!(command.flags.iter().any(|f| f.long == long), "{}: --{long} is not declared", command.name);
            }
        }
    }
}
