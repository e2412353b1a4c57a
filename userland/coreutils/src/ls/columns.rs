//! ls -C: names in columns, filled down then across, as many columns as
//! fit in the line width (GNU's calculate_columns: each column as wide as
//! its widest name plus two spaces, the last without them).

/// The smallest width a column takes (a one-letter name and two spaces).
const MIN_COLUMN_WIDTH: usize = 3;

/// The column widths of `widths` laid out in `columns` columns (each at
/// least [`MIN_COLUMN_WIDTH`], as GNU counts them), and the line's length.
fn fit(widths: &[usize], columns: usize) -> (Vec<usize>, usize) {
    let rows = widths.len().div_ceil(columns);
    let mut column_widths = vec![MIN_COLUMN_WIDTH; columns];
    for (index, width) in widths.iter().enumerate() {
        let column = index / rows;
        let real = width + if column + 1 == columns { 0 } else { 2 };
        column_widths[column] = column_widths[column].max(real);
    }
    let length = column_widths.iter().sum();
    (column_widths, length)
}

/// `cells` (text and width on screen) in columns within `line_width`,
/// each line ending in a newline; "" for no cells.
pub fn layout(cells: &[(String, usize)], line_width: usize) -> String {
    if cells.is_empty() {
        return String::new();
    }
    let widths: Vec<usize> = cells.iter().map(|cell| cell.1).collect();
    let most = (line_width / MIN_COLUMN_WIDTH).clamp(1, cells.len());
    let (column_widths, _) = (1..=most)
        .rev()
        .map(|columns| fit(&widths, columns))
        .find(|(column_widths, length)| column_widths.len() == 1 || *length < line_width)
        .unwrap_or_else(|| fit(&widths, 1));
    let columns = column_widths.len();
    let rows = cells.len().div_ceil(columns);
    let mut out = String::new();
    for row in 0..rows {
        let mut index = row;
        let mut column = 0;
        loop {
            let (text, width) = &cells[index];
            out += text;
            index += rows;
            if index >= cells.len() {
                break;
            }
            out.extend(std::iter::repeat_n(' ', column_widths[column] - width));
            column += 1;
        }
        out.push('\n');
    }
    out
}
