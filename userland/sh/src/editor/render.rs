//! Drawing the prompt and the line: where each character lands on a
//! terminal of a given width (wide characters take two cells, long lines
//! wrap), and the bytes that redraw everything and put the cursor back.

use unicode_width::UnicodeWidthChar;

/// Prompt text between these marks takes no columns (PS1's `\[` `\]`).
pub const INVISIBLE_START: char = '\u{1}';
pub const INVISIBLE_END: char = '\u{2}';

/// A position: rows below the prompt's first row, and the column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Position {
    row: usize,
    column: usize,
}

/// Advances `position` over `text` as a terminal `columns` wide does.
/// A column equal to `columns` means the row is full and the next
/// character wraps.
fn advance(mut position: Position, text: impl Iterator<Item = char>, columns: usize) -> Position {
    let mut invisible = false;
    let mut escape = false;
    for c in text {
        match c {
            INVISIBLE_START => invisible = true,
            INVISIBLE_END => invisible = false,
            '\n' => {
                position.row += 1;
                position.column = 0;
            }
            '\r' => position.column = 0,
            '\x1b' => escape = true,
            _ if escape => {
                // CSI sequences end with a letter; others are one byte.
                if c.is_ascii_alphabetic() || c == '~' {
                    escape = false;
                }
            }
            _ if invisible => {}
            c => {
                let width = c.width().unwrap_or(0);
                if width == 0 {
                    continue;
                }
                if position.column + width > columns {
                    position.row += 1;
                    position.column = 0;
                }
                position.column += width;
            }
        }
    }
    position
}

/// The columns a (prompt) text takes on one line.
pub fn width(text: &str) -> usize {
    let end = advance(Position { row: 0, column: 0 }, text.chars(), usize::MAX);
    end.column
}

/// Whether `line` after `prompt` ends before the last column of its row,
/// so appending its last character drew it and left the cursor right.
pub fn fits_after(prompt: &str, line: &[char], columns: usize) -> bool {
    let columns = columns.max(1);
    let start = Position { row: 0, column: 0 };
    let after_prompt = advance(start, prompt.chars(), columns);
    let before = advance(
        after_prompt,
        line[..line.len().saturating_sub(1)].iter().copied(),
        columns,
    );
    let end = advance(after_prompt, line.iter().copied(), columns);
    end.row == before.row && end.column < columns
}

/// Whether `line` after `prompt` fills its last row exactly: the redraw
/// that drew it has already moved the cursor to the next row.
pub fn fills_row(prompt: &str, line: &[char], columns: usize) -> bool {
    let columns = columns.max(1);
    let start = Position { row: 0, column: 0 };
    let end = advance(
        advance(start, prompt.chars(), columns),
        line.iter().copied(),
        columns,
    );
    !line.is_empty() && end.column >= columns
}

/// The prompt as it is written: invisible marks dropped, newlines as CRLF
/// (the terminal is raw while editing).
fn printable(prompt: &str) -> String {
    prompt
        .chars()
        .filter(|&c| c != INVISIBLE_START && c != INVISIBLE_END)
        .collect::<String>()
        .replace('\n', "\r\n")
}

/// Bytes that redraw the prompt and `line` with the cursor before
/// `line[cursor]`, starting from a cursor `old_row` rows below the
/// prompt's first row; and the row the cursor ends on.
pub fn redraw(
    prompt: &str,
    line: &[char],
    cursor: usize,
    columns: usize,
    old_row: usize,
) -> (String, usize) {
    let columns = columns.max(1);
    let mut out = String::new();
    if old_row > 0 {
        out.push_str(&format!("\x1b[{old_row}A"));
    }
    out.push_str("\r\x1b[J");
    out.push_str(&printable(prompt));
    out.extend(line.iter());
    let start = Position { row: 0, column: 0 };
    let after_prompt = advance(start, prompt.chars(), columns);
    let mut end = advance(after_prompt, line.iter().copied(), columns);
    if end.column >= columns {
        // The terminal waits at the end of a full row: move to the next.
        out.push_str("\r\n");
        end = Position {
            row: end.row + 1,
            column: 0,
        };
    }
    let mut target = advance(after_prompt, line[..cursor].iter().copied(), columns);
    if target.column >= columns {
        target = Position {
            row: target.row + 1,
            column: 0,
        };
    }
    if target != end {
        if end.row > target.row {
            out.push_str(&format!("\x1b[{}A", end.row - target.row));
        }
        out.push('\r');
        if target.column > 0 {
            out.push_str(&format!("\x1b[{}C", target.column));
        }
    }
    (out, target.row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn widths_skip_escapes_and_marks() {
        assert_eq!(width("$ "), 2);
        assert_eq!(width("\u{1}\x1b[1;32m\u{2}user\u{1}\x1b[0m\u{2}$ "), 6);
        assert_eq!(width("\x1b[1muser\x1b[0m"), 4);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("e\u{301}"), 1);
    }

    #[test]
    fn a_short_line_redraws_in_place() {
        let (out, row) = redraw("$ ", &chars("echo hi"), 4, 80, 0);
        assert_eq!(out, "\r\x1b[J$ echo hi\r\x1b[6C");
        assert_eq!(row, 0);
    }

    #[test]
    fn long_lines_wrap_and_the_cursor_goes_up() {
        // 10 columns: "$ " + 12 characters ends on row 1, column 4.
        let line = chars("abcdefghijkl");
        let (out, row) = redraw("$ ", &line, 3, 10, 0);
        assert_eq!(out, "\r\x1b[J$ abcdefghijkl\x1b[1A\r\x1b[5C");
        assert_eq!(row, 0);
        let (out, row) = redraw("$ ", &line, 12, 10, 0);
        assert!(out.ends_with("abcdefghijkl"), "{out:?}");
        assert_eq!(row, 1);
        let (out, _) = redraw("$ ", &line, 12, 10, 1);
        assert!(out.starts_with("\x1b[1A\r\x1b[J"));
    }

    #[test]
    fn a_full_row_moves_to_the_next() {
        let (out, row) = redraw("$ ", &chars("abcdefgh"), 8, 10, 0);
        assert_eq!(out, "\r\x1b[J$ abcdefgh\r\n");
        assert_eq!(row, 1);
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let (out, _) = redraw("> ", &chars("日本語"), 1, 80, 0);
        assert!(out.ends_with("\r\x1b[4C"), "{out:?}");
    }

    #[test]
    fn multi_line_prompts() {
        let (out, row) = redraw("dir\n$ ", &chars("ls"), 2, 80, 0);
        assert_eq!(out, "\r\x1b[Jdir\r\n$ ls");
        assert_eq!(row, 1);
    }
}
