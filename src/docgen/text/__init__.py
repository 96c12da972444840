"""Chinese text rules written once: numerals and labels, 避头尾 and widths, dates and 发文字号."""
