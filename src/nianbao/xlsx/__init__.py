"""Every workbook nianbao writes: template, summary, annotated copy, xlsx export."""
