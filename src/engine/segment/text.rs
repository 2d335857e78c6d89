//! The text form of a rule, shared by the builder, the command line and persona
//! traits: printing ([`to_text`]) and parsing ([`parse`]), with errors by position.
//!
//! The text form (keywords case-insensitive; custom fields in backticks):
//! ```text
//! expr      := and_expr ("or" and_expr)*
//! and_expr  := unary ("and" unary)*
//! unary     := "not" unary | "(" expr ")" | condition
//! condition := "in" "segment" value              (a saved segment, by name)
//!            | "in" "split" string int "to" int   (a split group: buckets from–to of 100)
//!            | field op value | field "between" value "and" value
//!            | field ("in" | "not in" | "contains any of") "(" value ("," value)* ")"
//!            | field ("contains" | "does not contain" | "starts with" | "ends with") string
//!            | field "more than" int ("days"|"weeks"|"months") "ago"
//!            | field "within last" int ("days"|"weeks"|"months")
//!            | field ("before" | "after" | "on") date
//!            | field "is" ["not"] "empty" | field "is" ("yes" | "no")
//!            | ("order count" | "amount spent") [window] (op value | "between" value "and" value)
//!            | ["has not"] "bought" ("product" | "sku" | "category")
//!                  (string | "any of" "(" string ("," string)* ")") [window]
//! window    := "in last" int ("days"|"weeks"|"months") | "from" date "to" date
//! ```
//! A negative condition (`!=`, `not in`, `does not contain`) whose "include empty"
//! box is ticked is written with `or empty` after it: `channel != "TikTok" or empty`.
//! (`empty` is a keyword, so this cannot be read as another condition.)

use super::history::{LineAttr, Measure, Window};
use super::{Condition, DateUnit, Group, Item, Join, Node, Op};

fn is_plain_field(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z' | '_'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && !KEYWORDS.contains(&name)
}

pub fn field_text(name: &str) -> String {
    if is_plain_field(name) { name.to_owned() } else { format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`")) }
}

fn is_number_text(v: &str) -> bool {
    let body = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn is_date_text(v: &str) -> bool {
    v.len() == 10 && v.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

fn value_text(v: &str) -> String {
    if is_number_text(v) || is_date_text(v) {
        v.to_owned()
    } else {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

pub(crate) fn condition_text(c: &Condition) -> String {
    if c.op == Op::InSegment {
        let name = c.values.first().map_or("", String::as_str);
        return format!("in segment \"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""));
    }
    if c.op == Op::InSplit {
        let at = |i: usize| c.values.get(i).map_or("", String::as_str);
        return format!("in split {} {} to {}", value_text(at(0)), at(1), at(2));
    }
    if let Some(measure) = Measure::of_field(&c.field) {
        return history_text(c, measure);
    }
    let f = field_text(&c.field);
    let v = |i: usize| c.values.get(i).map_or_else(|| "\"\"".to_owned(), |s| value_text(s));
    let list = || format!("({})", c.values.iter().map(|s| value_text(s)).collect::<Vec<_>>().join(", "));
    let body = match c.op {
        Op::Between => format!("{f} between {} and {}", v(0), v(1)),
        Op::In | Op::NotIn | Op::ContainsAny => format!("{f} {} {}", c.op.text(), list()),
        Op::IsEmpty | Op::IsNotEmpty | Op::IsYes | Op::IsNo => format!("{f} {}", c.op.text()),
        Op::MoreThanAgo(u) => {
            format!("{f} more than {} {} ago", c.values.first().map_or("0", String::as_str), u.word())
        }
        Op::WithinLast(u) => format!("{f} within last {} {}", c.values.first().map_or("0", String::as_str), u.word()),
        op => format!("{f} {} {}", op.text(), v(0)),
    };
    if c.include_empty { format!("{body} or empty") } else { body }
}

fn window_text(window: Option<&Window>) -> String {
    match window {
        None => String::new(),
        Some(Window::Last(n, unit)) => format!(" in last {n} {}", unit.word()),
        Some(Window::Dates(from, to)) => format!(" from {} to {}", value_text(from), value_text(to)),
    }
}

fn history_text(c: &Condition, measure: Measure) -> String {
    let window = window_text(c.window.as_ref());
    let v = |i: usize| c.values.get(i).map_or_else(|| "\"\"".to_owned(), |s| value_text(s));
    match measure {
        Measure::Bought(attr) => {
            let verb = if c.op == Op::NotBought { "has not bought" } else { "bought" };
            let values = if c.values.len() > 1 {
                format!("any of ({})", c.values.iter().map(|s| value_text(s)).collect::<Vec<_>>().join(", "))
            } else {
                v(0)
            };
            format!("{verb} {} {values}{window}", attr.column())
        }
        Measure::OrderCount | Measure::Spent => {
            let what = if measure == Measure::OrderCount { "order count" } else { "amount spent" };
            match c.op {
                Op::Between => format!("{what}{window} between {} and {}", v(0), v(1)),
                op => format!("{what}{window} {} {}", op.text(), v(0)),
            }
        }
    }
}

/// The rule's text form.
pub fn to_text(group: &Group) -> String {
    let mut out = String::new();
    for (i, item) in group.items.iter().enumerate() {
        if i > 0 {
            out.push_str(if item.join == Join::And { " and " } else { " or " });
        }
        if item.negate {
            out.push_str("not ");
        }
        match &item.node {
            Node::Condition(c) => out.push_str(&condition_text(c)),
            Node::Group(g) => {
                out.push('(');
                out.push_str(&to_text(g));
                out.push(')');
            }
        }
    }
    out
}

// Parsing

const KEYWORDS: &[&str] = &[
    "and", "or", "not", "between", "in", "contains", "does", "starts", "ends", "with", "more", "than", "ago", "within",
    "last", "before", "after", "on", "is", "empty", "yes", "no", "any", "of",
];

/// Where and why the text form could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at character {position})")]
pub struct ParseError {
    /// Character offset (0-based) into the text.
    pub position: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Field(String),
    Str(String),
    Num(String),
    Date(String),
    Sym(&'static str),
}

fn parse_error(position: usize, message: &str) -> ParseError {
    ParseError { position, message: message.to_owned() }
}

fn tokenize(text: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let tok = if c.is_whitespace() {
            i += 1;
            continue;
        } else if c == '"' || c == '`' {
            quoted(&chars, &mut i)?
        } else if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            number_or_date(&chars, &mut i)?
        } else if c.is_alphabetic() || c == '_' {
            let end =
                chars[i..].iter().position(|ch| !(ch.is_alphanumeric() || *ch == '_')).map_or(chars.len(), |n| i + n);
            let word = chars[i..end].iter().collect();
            i = end;
            Tok::Word(word)
        } else {
            symbol(&chars, &mut i)?
        };
        toks.push((start, tok));
    }
    Ok(toks)
}

/// A quoted string (`"…"`) or field (`` `…` ``) starting at `i`, with `\` escapes.
fn quoted(chars: &[char], i: &mut usize) -> Result<Tok, ParseError> {
    let start = *i;
    let quote = chars[start];
    let mut s = String::new();
    *i += 1;
    loop {
        match chars.get(*i) {
            None => return Err(parse_error(start, if quote == '"' { "unclosed quote" } else { "unclosed backtick" })),
            Some('\\') => {
                if let Some(n) = chars.get(*i + 1) {
                    s.push(*n);
                }
                *i += 2;
            }
            Some(ch) if *ch == quote => {
                *i += 1;
                break;
            }
            Some(ch) => {
                s.push(*ch);
                *i += 1;
            }
        }
    }
    Ok(if quote == '"' { Tok::Str(s) } else { Tok::Field(s) })
}

/// A number (`-12.5`) or a date (`2026-04-05`) starting at `i`.
fn number_or_date(chars: &[char], i: &mut usize) -> Result<Tok, ParseError> {
    let start = *i;
    let mut s = String::from(chars[start]);
    *i += 1;
    while let Some(&ch) = chars.get(*i) {
        if !(ch.is_ascii_digit() || ch == '.' || ch == '-') {
            break;
        }
        s.push(ch);
        *i += 1;
    }
    if is_date_text(&s) {
        Ok(Tok::Date(s))
    } else if is_number_text(&s) {
        Ok(Tok::Num(s))
    } else {
        Err(parse_error(start, &format!("\"{s}\" is neither a number nor a date (YYYY-MM-DD)")))
    }
}

/// An operator or punctuation starting at `i`.
fn symbol(chars: &[char], i: &mut usize) -> Result<Tok, ParseError> {
    let two: String = chars[*i..chars.len().min(*i + 2)].iter().collect();
    if let Some(sym) = ["!=", ">=", "<="].into_iter().find(|s| *s == two) {
        *i += 2;
        return Ok(Tok::Sym(sym));
    }
    let sym = match chars[*i] {
        '=' => "=",
        '>' => ">",
        '<' => "<",
        '(' => "(",
        ')' => ")",
        ',' => ",",
        c => return Err(parse_error(*i, &format!("unexpected character '{c}'"))),
    };
    *i += 1;
    Ok(Tok::Sym(sym))
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn here(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(p, _)| *p)
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { position: self.here(), message: message.into() })
    }

    fn is_word(&self, offset: usize, word: &str) -> bool {
        matches!(self.toks.get(self.pos + offset), Some((_, Tok::Word(w))) if w.eq_ignore_ascii_case(word))
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if self.is_word(0, word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_word(&mut self, word: &str) -> Result<(), ParseError> {
        if self.eat_word(word) { Ok(()) } else { self.fail(format!("expected \"{word}\"")) }
    }

    fn eat_sym(&mut self, sym: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Sym(s)) if *s == sym) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn group(&mut self) -> Result<Group, ParseError> {
        let mut items = vec![self.item(Join::And)?];
        loop {
            let join = if self.eat_word("and") {
                Join::And
            } else if self.eat_word("or") {
                Join::Or
            } else {
                break;
            };
            items.push(self.item(join)?);
        }
        Ok(Group { items })
    }

    fn item(&mut self, join: Join) -> Result<Item, ParseError> {
        let mut negate = false;
        while self.eat_word("not") {
            negate = !negate;
        }
        if self.eat_sym("(") {
            let inner = self.group()?;
            if !self.eat_sym(")") {
                return self.fail("expected \")\"");
            }
            return Ok(Item { join, negate, node: Node::Group(inner) });
        }
        let mut condition = self.condition()?;
        if condition.op.is_negative() && self.is_word(0, "or") && self.is_word(1, "empty") {
            self.pos += 2;
            condition.include_empty = true;
        }
        Ok(Item { join, negate, node: Node::Condition(condition) })
    }

    fn value(&mut self) -> Result<String, ParseError> {
        match self.peek().cloned() {
            Some(Tok::Str(s) | Tok::Num(s) | Tok::Date(s)) => {
                self.pos += 1;
                Ok(s)
            }
            _ => self.fail("expected a value (a number, a \"text\" or a date YYYY-MM-DD)"),
        }
    }

    fn values_list(&mut self) -> Result<Vec<String>, ParseError> {
        if !self.eat_sym("(") {
            return self.fail("expected \"(\" and a list of values");
        }
        let mut values = vec![self.value()?];
        while self.eat_sym(",") {
            values.push(self.value()?);
        }
        if !self.eat_sym(")") {
            return self.fail("expected \",\" or \")\"");
        }
        Ok(values)
    }

    fn unit(&mut self) -> Result<DateUnit, ParseError> {
        for unit in DateUnit::ALL {
            let word = unit.word();
            if self.eat_word(word) || self.eat_word(&word[..word.len() - 1]) {
                return Ok(unit);
            }
        }
        self.fail("expected days, weeks or months")
    }

    fn int(&mut self) -> Result<String, ParseError> {
        match self.peek().cloned() {
            Some(Tok::Num(n)) if n.bytes().all(|b| b.is_ascii_digit()) => {
                self.pos += 1;
                Ok(n)
            }
            _ => self.fail("expected a whole number"),
        }
    }

    fn condition(&mut self) -> Result<Condition, ParseError> {
        if self.is_word(0, "in") && self.is_word(1, "segment") {
            self.pos += 2;
            let name = self.value()?;
            return Ok(super::segment_reference(&name));
        }
        if self.is_word(0, "in") && self.is_word(1, "split") {
            self.pos += 2;
            let seed = self.value()?;
            let from = self.int()?;
            self.expect_word("to")?;
            let to = self.int()?;
            return Ok(Condition::new("", Op::InSplit, vec![seed, from, to]));
        }
        if let Some(found) = self.history()? {
            return Ok(found);
        }
        let field = match self.peek().cloned() {
            Some(Tok::Field(f)) => f,
            // Bare names are canonical ids, which are lowercase: `LTV` means `ltv`.
            Some(Tok::Word(w)) if !KEYWORDS.contains(&w.to_lowercase().as_str()) => w.to_lowercase(),
            _ => return self.fail("expected a field name (custom fields in `backticks`)"),
        };
        self.pos += 1;
        let found = match self.comparison()? {
            Some(found) => Some(found),
            None => match self.list_or_text()? {
                Some(found) => Some(found),
                None => self.dates()?,
            },
        };
        let (op, values) = match found {
            Some(found) => found,
            None if self.eat_word("is") => (self.is_what()?, Vec::new()),
            None => return self.fail(format!("expected an operator after \"{field}\"")),
        };
        Ok(Condition::new(&field, op, values))
    }

    /// An order-history condition: `order count [window] op value`, `amount spent
    /// [window] op value`, `[has not] bought product|sku|category values [window]`.
    fn history(&mut self) -> Result<Option<Condition>, ParseError> {
        let measure = if self.is_word(0, "order") && self.is_word(1, "count") {
            self.pos += 2;
            Measure::OrderCount
        } else if self.is_word(0, "amount") && self.is_word(1, "spent") {
            self.pos += 2;
            Measure::Spent
        } else {
            let negative = self.is_word(0, "has") && self.is_word(1, "not") && self.is_word(2, "bought");
            let attr = LineAttr::ALL.into_iter().find(|a| self.is_word(usize::from(negative) * 2 + 1, a.column()));
            let Some(attr) = attr.filter(|_| negative || self.is_word(0, "bought")) else { return Ok(None) };
            self.pos += if negative { 4 } else { 2 };
            let values = if self.is_word(0, "any") && self.is_word(1, "of") {
                self.pos += 2;
                self.values_list()?
            } else {
                vec![self.value()?]
            };
            let op = if negative { Op::NotBought } else { Op::Bought };
            let mut condition = Condition::new(Measure::Bought(attr).field(), op, values);
            condition.window = self.window()?;
            return Ok(Some(condition));
        };
        let window = self.window()?;
        let (op, values) = match self.comparison()? {
            Some(found) => found,
            None if self.eat_word("between") => {
                let a = self.value()?;
                self.expect_word("and")?;
                (Op::Between, vec![a, self.value()?])
            }
            None => return self.fail("expected a comparison (>=, >, <=, <, =, !=) or \"between\""),
        };
        let mut condition = Condition::new(measure.field(), op, values);
        condition.window = window;
        Ok(Some(condition))
    }

    /// `in last N days|weeks|months` or `from DATE to DATE`, if there.
    fn window(&mut self) -> Result<Option<Window>, ParseError> {
        if self.is_word(0, "in") && self.is_word(1, "last") {
            self.pos += 2;
            let n = self.int()?;
            return Ok(Some(Window::Last(n, self.unit()?)));
        }
        if self.eat_word("from") {
            let from = self.value()?;
            self.expect_word("to")?;
            return Ok(Some(Window::Dates(from, self.value()?)));
        }
        Ok(None)
    }

    /// `= != > >= < <=` and a value.
    fn comparison(&mut self) -> Result<Option<(Op, Vec<String>)>, ParseError> {
        let Some(Tok::Sym(s)) = self.peek().cloned() else { return Ok(None) };
        let op = match s {
            "=" => Op::Eq,
            "!=" => Op::Ne,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "<" => Op::Lt,
            "<=" => Op::Le,
            _ => return self.fail("expected an operator"),
        };
        self.pos += 1;
        Ok(Some((op, vec![self.value()?])))
    }

    /// `between`, `in`, `not in`, `contains any of` and the text operators.
    fn list_or_text(&mut self) -> Result<Option<(Op, Vec<String>)>, ParseError> {
        if self.eat_word("between") {
            let a = self.value()?;
            self.expect_word("and")?;
            let b = self.value()?;
            return Ok(Some((Op::Between, vec![a, b])));
        }
        if self.eat_word("in") {
            return Ok(Some((Op::In, self.values_list()?)));
        }
        if self.is_word(0, "not") && self.is_word(1, "in") {
            self.pos += 2;
            return Ok(Some((Op::NotIn, self.values_list()?)));
        }
        if self.is_word(0, "contains") && self.is_word(1, "any") {
            self.pos += 2;
            self.expect_word("of")?;
            return Ok(Some((Op::ContainsAny, self.values_list()?)));
        }
        for (words, op) in [
            (&["contains"][..], Op::Contains),
            (&["does", "not", "contain"][..], Op::NotContains),
            (&["starts", "with"][..], Op::StartsWith),
            (&["ends", "with"][..], Op::EndsWith),
        ] {
            if words.iter().enumerate().all(|(i, w)| self.is_word(i, w)) {
                self.pos += words.len();
                return Ok(Some((op, vec![self.value()?])));
            }
        }
        Ok(None)
    }

    /// `more than N units ago`, `within last N units`, `before`, `after`, `on`.
    fn dates(&mut self) -> Result<Option<(Op, Vec<String>)>, ParseError> {
        if self.is_word(0, "more") && self.is_word(1, "than") {
            self.pos += 2;
            let n = self.int()?;
            let unit = self.unit()?;
            self.expect_word("ago")?;
            return Ok(Some((Op::MoreThanAgo(unit), vec![n])));
        }
        if self.is_word(0, "within") && self.is_word(1, "last") {
            self.pos += 2;
            let n = self.int()?;
            let unit = self.unit()?;
            return Ok(Some((Op::WithinLast(unit), vec![n])));
        }
        for (word, op) in [("before", Op::Before), ("after", Op::After), ("on", Op::On)] {
            if self.eat_word(word) {
                return Ok(Some((op, vec![self.value()?])));
            }
        }
        Ok(None)
    }

    /// After `is`: `empty`, `not empty`, `yes` or `no`.
    fn is_what(&mut self) -> Result<Op, ParseError> {
        if self.eat_word("not") {
            self.expect_word("empty")?;
            Ok(Op::IsNotEmpty)
        } else if self.eat_word("empty") {
            Ok(Op::IsEmpty)
        } else if self.eat_word("yes") {
            Ok(Op::IsYes)
        } else if self.eat_word("no") {
            Ok(Op::IsNo)
        } else {
            self.fail("expected empty, not empty, yes or no")
        }
    }
}

/// Reads a rule's text form. Empty text is the empty rule (all customers).
pub fn parse(text: &str) -> Result<Group, ParseError> {
    let toks = tokenize(text)?;
    if toks.is_empty() {
        return Ok(Group::default());
    }
    let mut p = Parser { toks, pos: 0, end: text.chars().count() };
    let group = p.group()?;
    if p.pos < p.toks.len() {
        return p.fail("expected \"and\", \"or\" or the end of the rule");
    }
    Ok(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mockup_rule_round_trips() {
        let text = "ltv > 5000 and last_order_date more than 30 days ago or channel = \"Google Ads\"";
        let g = parse(text).unwrap();
        assert_eq!(g.items.len(), 3);
        assert_eq!(g.items[1].join, Join::And);
        assert_eq!(g.items[2].join, Join::Or);
        assert_eq!(to_text(&g), text);
        let chains = g.or_of_ands();
        assert_eq!((chains.len(), chains[0].len(), chains[1].len()), (2, 2, 1));
    }

    #[test]
    fn every_form_round_trips() {
        for text in [
            "ltv between 1000 and 5000.5",
            "city in (\"İzmir\", \"Ankara\") and not (orders <= 2 or aov >= 100)",
            "`Sadakat Puanı` > 10 and tags contains any of (\"vip\", \"b2b\")",
            "tags does not contain \"spam\" or email ends with \"@gmail.com\"",
            "name starts with \"Ay\" and name contains \"\\\"q\\\"\"",
            "signup_date within last 3 months and birth_date before 1990-01-01",
            "last_order_date after 2026-01-01 or last_order_date on 2026-02-02",
            "accepts_marketing is yes and phone is not empty and zip is empty",
            "channel != \"Instagram\" or empty and ((a = 1 or b = 2) and c = 3)",
            "(channel != \"Instagram\" or channel is empty) or tags does not contain \"x\" or empty",
            "channel not in (\"TikTok\") and first_order_date more than 2 weeks ago",
            "order count in last 90 days >= 2 and amount spent from 2026-01-01 to 2026-03-31 > 1000",
            "bought product \"Kahve Makinesi\" in last 90 days and not in segment \"VIP\"",
            "has not bought sku any of (\"KM-1\", \"KM-2\") or bought category \"Kahve\" from 2026-01-01 to 2026-02-01",
            "order count between 1 and 3 and amount spent in last 2 months != 0",
        ] {
            let g = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(to_text(&g), text);
            assert_eq!(parse(&to_text(&g)).unwrap(), g);
        }
        let include = parse("channel != \"Instagram\" or empty or city = \"Ankara\"").unwrap();
        assert_eq!(include.items.len(), 2);
        let Node::Condition(c) = &include.items[0].node else { panic!("a condition") };
        assert!(c.include_empty);
        let group = parse("(channel != \"Instagram\" or channel is empty)").unwrap();
        assert!(matches!(group.items[0].node, Node::Group(_)), "a group the user built stays a group");
    }

    #[test]
    fn keywords_are_case_insensitive_and_errors_point_at_the_problem() {
        let g = parse("LTV > 5 AND Orders Between 1 And 3 OR NOT city IS EMPTY").unwrap();
        assert_eq!(to_text(&g), "ltv > 5 and orders between 1 and 3 or not city is empty");
        let e = parse("ltv > ").unwrap_err();
        assert_eq!(e.position, 6);
        let e = parse("ltv >> 5").unwrap_err();
        assert_eq!(e.position, 5);
        let e = parse("city = \"Ankara").unwrap_err();
        assert_eq!((e.position, e.message.as_str()), (7, "unclosed quote"));
        let e = parse("(ltv > 5").unwrap_err();
        assert!(e.message.contains(")"));
        assert!(parse("ltv > 5 orders < 3").is_err());
        assert_eq!(parse("   ").unwrap(), Group::default());
    }
}
