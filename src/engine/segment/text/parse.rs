//! Reading the text form (see [`super`] for its grammar): tokens, then a small
//! recursive-descent parser; every error names the character it stopped at.

use super::super::history::{LineAttr, Measure, Window};
use super::super::{Condition, DateUnit, Group, Item, Join, Node, Op};
use super::{KEYWORDS, is_date_text, is_number_text};

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

/// Each English message the reader gives (`{}`: the part that varies) and its key
/// in the translation table.
const MESSAGES: [(&str, &str); 19] = [
    ("unclosed quote", "parse.unclosed_quote"),
    ("unclosed backtick", "parse.unclosed_backtick"),
    ("\"{}\" is neither a number nor a date (YYYY-MM-DD)", "parse.not_number_or_date"),
    ("unexpected character '{}'", "parse.unexpected_character"),
    ("expected a value (a number, a \"text\" or a date YYYY-MM-DD)", "parse.expected_value"),
    ("expected \"(\" and a list of values", "parse.expected_list"),
    ("expected \",\" or \")\"", "parse.expected_comma"),
    ("expected days, weeks or months", "parse.expected_unit"),
    ("expected a whole number", "parse.expected_whole"),
    ("expected a percentage such as 10%", "parse.expected_percent"),
    ("expected \"in top\" and a percentage such as 5%", "parse.expected_lookalike_top"),
    ("expected a field name (custom fields in `backticks`)", "parse.expected_field"),
    ("expected an operator after \"{}\"", "parse.expected_operator_after"),
    ("expected a comparison (>=, >, <=, <, =, !=) or \"between\"", "parse.expected_comparison"),
    ("expected an operator", "parse.expected_operator"),
    ("expected empty, not empty, yes or no", "parse.expected_empty"),
    ("expected \"and\", \"or\" or the end of the rule", "parse.expected_end"),
    ("expected \"{}\"", "parse.expected_word"),
    ("{}", "parse.other"),
];

impl ParseError {
    /// The message in the reader's language, with where it is: "2. karakterde:
    /// kapanmamış tırnak". The command line and JSON keep the English `message`.
    pub fn text(&self, lang: crate::format::Lang) -> String {
        let said = MESSAGES.iter().find_map(|(template, key)| {
            let (prefix, suffix) = template.split_once("{}").unwrap_or((template, ""));
            let matches = if template.contains("{}") {
                self.message.len() >= prefix.len() + suffix.len()
                    && self.message.starts_with(prefix)
                    && self.message.ends_with(suffix)
            } else {
                self.message == *template
            };
            matches.then(|| {
                let part = &self.message[prefix.len().min(self.message.len())..self.message.len() - suffix.len()];
                crate::i18n::t(lang, key).replace("{0}", part)
            })
        });
        crate::i18n::t(lang, "parse.at")
            .replace("{0}", &(self.position + 1).to_string())
            .replace("{1}", &said.unwrap_or_else(|| self.message.clone()))
    }
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
        '%' => "%",
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
            return Ok(super::super::segment_reference(&name));
        }
        if self.is_word(0, "lookalike") && self.is_word(1, "of") {
            self.pos += 2;
            let name = self.value()?;
            let (op, values) = match self.relative()? {
                Some((Op::TopPercent, values)) => (Op::LookalikeOf, values),
                _ => return self.fail("expected \"in top\" and a percentage such as 5%"),
            };
            return Ok(Condition::new("", op, [vec![name], values].concat()));
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
        if let Some((op, values)) = self.relative()? {
            return Ok(Condition::new(&field, op, values));
        }
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

    /// `in top N%`, `in bottom N%`, `above|below median|average`.
    fn relative(&mut self) -> Result<Option<(Op, Vec<String>)>, ParseError> {
        if self.is_word(0, "in") && (self.is_word(1, "top") || self.is_word(1, "bottom")) {
            let op = if self.is_word(1, "top") { Op::TopPercent } else { Op::BottomPercent };
            self.pos += 2;
            let n = match self.peek().cloned() {
                Some(Tok::Num(n)) => n,
                _ => return self.fail("expected a percentage such as 10%"),
            };
            self.pos += 1;
            if !self.eat_sym("%") {
                return self.fail("expected \"%\"");
            }
            return Ok(Some((op, vec![n])));
        }
        for (word, above, below) in
            [("median", Op::AboveMedian, Op::BelowMedian), ("average", Op::AboveAverage, Op::BelowAverage)]
        {
            for (side, op) in [("above", above), ("below", below)] {
                if self.is_word(0, side) && self.is_word(1, word) {
                    self.pos += 2;
                    return Ok(Some((op, Vec::new())));
                }
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
    fn every_message_is_said_in_turkish() {
        for (text, expected) in [
            ("city = \"x", "8. karakterde: kapanmamış tırnak"),
            ("ltv >", "6. karakterde: bir değer bekleniyordu (sayı, \"metin\" ya da YYYY-AA-GG tarihi)"),
            ("ltv 5", "5. karakterde: \"ltv\" alanından sonra bir işleç bekleniyordu"),
            ("ltv > 5 x", "9. karakterde: \"and\", \"or\" ya da kuralın sonu bekleniyordu"),
            ("ltv between 1", "14. karakterde: \"and\" bekleniyordu"),
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.text(crate::format::Lang::Tr), expected, "{text}: {}", e.message);
        }
        for (template, _) in MESSAGES {
            let filled = template.replace("{}", "x");
            let e = ParseError { position: 0, message: filled.clone() };
            let said = e.text(crate::format::Lang::Tr);
            assert!(!said.contains("expected") && !said.contains("unclosed"), "{filled} has no Turkish: {said}");
        }
    }
}
