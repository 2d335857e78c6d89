//! What Shopify will charge for a query, priced before it is sent by the rules
//! Shopify documents ("GraphQL Admin API rate limits"): a scalar or enum costs 0,
//! an object 1, a connection 2 plus the objects asked for (`first`/`last`) times
//! the cost of one node, and a mutation 10. Shopify refuses any query over
//! [`MAX_QUERY_COST`] (`MAX_COST_EXCEEDED`), so every query Kitle sends is priced
//! here (and in a test), and its page sizes are chosen to stay under the cap.
//!
//! The parser reads the GraphQL Kitle writes: operations with variables, fields
//! with arguments and selection sets, and inline fragments (priced as their
//! fields). It is not a validator: the store is.

use serde_json::Value;

/// Shopify's single-query cap.
pub const MAX_QUERY_COST: u32 = 1000;
/// What Shopify charges for a mutation.
const MUTATION_COST: u32 = 10;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Variable(String),
    Number(u32),
    Other(char),
    Text,
}

fn tokens(query: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() || c == ',' => {}
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => break,
                        _ => escaped = false,
                    }
                }
                out.push(Token::Text);
            }
            '$' | 'a'..='z' | 'A'..='Z' | '_' => {
                let mut name = String::new();
                while let Some(&c) = chars.peek().filter(|c| c.is_alphanumeric() || **c == '_') {
                    name.push(c);
                    chars.next();
                }
                out.push(if c == '$' { Token::Variable(name) } else { Token::Name(format!("{c}{name}")) });
            }
            '0'..='9' | '-' => {
                let mut digits = String::from(c);
                while let Some(&c) = chars.peek().filter(|c| c.is_ascii_digit() || **c == '.') {
                    digits.push(c);
                    chars.next();
                }
                out.push(Token::Number(digits.parse().unwrap_or(0)));
            }
            '.' => {
                // `...` of an inline fragment.
                while chars.peek() == Some(&'.') {
                    chars.next();
                }
                out.push(Token::Other('.'));
            }
            c => out.push(Token::Other(c)),
        }
    }
    out
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    variables: &'a Value,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        match self.next() {
            Some(Token::Other(found)) if found == c => Ok(()),
            found => Err(format!("expected '{c}', found {found:?}")),
        }
    }

    /// Skips a bracketed group whose opening bracket was just read.
    fn skip_group(&mut self, open: char, close: char) -> Result<(), String> {
        let mut depth = 1;
        while depth > 0 {
            match self.next() {
                Some(Token::Other(c)) if c == open => depth += 1,
                Some(Token::Other(c)) if c == close => depth -= 1,
                Some(_) => {}
                None => return Err(format!("unclosed '{open}'")),
            }
        }
        Ok(())
    }

    /// A field's arguments (after its `(`): the page size asked for, if any.
    fn page_size(&mut self) -> Result<Option<u32>, String> {
        let mut size = None;
        loop {
            match self.next() {
                Some(Token::Other(')')) => return Ok(size),
                Some(Token::Name(name)) => {
                    self.expect(':')?;
                    let value = self.value()?;
                    if name == "first" || name == "last" {
                        size = value;
                    }
                }
                found => return Err(format!("unexpected {found:?} in arguments")),
            }
        }
    }

    /// An argument's value, as a number when it is one (or a variable holding one).
    fn value(&mut self) -> Result<Option<u32>, String> {
        match self.next() {
            Some(Token::Number(n)) => Ok(Some(n)),
            Some(Token::Variable(v)) => {
                Ok(self.variables.get(&v).and_then(Value::as_u64).map(|n| u32::try_from(n).unwrap_or(u32::MAX)))
            }
            Some(Token::Other('[')) => self.skip_group('[', ']').map(|()| None),
            Some(Token::Other('{')) => self.skip_group('{', '}').map(|()| None),
            Some(_) => Ok(None),
            None => Err("missing value".to_owned()),
        }
    }

    /// The cost of a selection set whose `{` was just read.
    fn selection_cost(&mut self) -> Result<u32, String> {
        let mut cost = 0u32;
        loop {
            match self.next() {
                Some(Token::Other('}')) => return Ok(cost),
                Some(Token::Other('.')) => {
                    // `... on Type { … }`: its fields, as if written here.
                    if matches!(self.peek(), Some(Token::Name(n)) if n == "on") {
                        self.next();
                        self.next();
                    }
                    self.expect('{')?;
                    cost = cost.saturating_add(self.selection_cost()?);
                }
                Some(Token::Name(_)) => cost = cost.saturating_add(self.field_cost()?),
                found => return Err(format!("unexpected {found:?} in a selection")),
            }
        }
    }

    /// The cost of a field whose name was just read.
    fn field_cost(&mut self) -> Result<u32, String> {
        // An alias: `name: field`.
        if self.peek() == Some(&Token::Other(':')) {
            self.next();
            self.next();
        }
        let mut page = None;
        if self.peek() == Some(&Token::Other('(')) {
            self.next();
            page = self.page_size()?;
        }
        if self.peek() != Some(&Token::Other('{')) {
            return Ok(0); // a scalar or an enum
        }
        self.next();
        match page {
            // A connection: what one node costs, asked for `page` times. Its
            // `nodes`/`edges { node }` is the node; `pageInfo` is one object.
            Some(n) => {
                let (node, rest) = self.connection_parts()?;
                Ok(2u32.saturating_add(n.saturating_mul(node)).saturating_add(rest))
            }
            None => Ok(1u32.saturating_add(self.selection_cost()?)),
        }
    }

    /// A connection's selection (after its `{`): the cost of one node, and of the rest.
    fn connection_parts(&mut self) -> Result<(u32, u32), String> {
        let (mut node, mut rest) = (0u32, 0u32);
        loop {
            match self.next() {
                Some(Token::Other('}')) => return Ok((node, rest)),
                Some(Token::Name(name)) if name == "nodes" => {
                    self.expect('{')?;
                    node = 1u32.saturating_add(self.selection_cost()?);
                }
                Some(Token::Name(name)) if name == "edges" => {
                    self.expect('{')?;
                    // `edges { cursor node { … } }`: the node's cost.
                    let inner = self.selection_cost()?;
                    node = inner.max(1);
                }
                Some(Token::Name(_)) => rest = rest.saturating_add(self.field_cost()?),
                found => return Err(format!("unexpected {found:?} in a connection")),
            }
        }
    }
}

/// The cost Shopify will ask for before running `query` with `variables`.
pub fn requested_cost(query: &str, variables: &Value) -> Result<u32, String> {
    let mut parser = Parser { tokens: tokens(query), at: 0, variables };
    // The operation's header: `query Name($a: Int!) ` or `mutation …`, or nothing.
    let mut mutation = false;
    while let Some(token) = parser.peek() {
        match token {
            Token::Other('{') => break,
            Token::Name(n) if n == "mutation" => {
                mutation = true;
                parser.next();
            }
            Token::Other('(') => {
                parser.next();
                parser.skip_group('(', ')')?;
            }
            _ => {
                parser.next();
            }
        }
    }
    parser.expect('{')?;
    let cost = parser.selection_cost()?;
    Ok(if mutation { MUTATION_COST } else { cost })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn documented_examples() {
        // Shopify's examples: a scalar field, an object, a connection of 10 nodes.
        assert_eq!(requested_cost("{ shop { name } }", &json!({})), Ok(1));
        assert_eq!(requested_cost("{ products(first: 10) { edges { node { title } } } }", &json!({})), Ok(12));
        assert_eq!(
            requested_cost(
                "query Q($n: Int!) { products(first: $n) { nodes { title variants(first: 5) { nodes { sku } } } } }",
                &json!({"n": 10})
            ),
            // 2 + 10 × (1 + (2 + 5 × 1))
            Ok(82)
        );
        assert_eq!(requested_cost("mutation M { a(b: 1) { c { d } } }", &json!({})), Ok(10));
        assert!(requested_cost("{ shop { name ", &json!({})).is_err());
    }
}
