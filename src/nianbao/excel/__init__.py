"""The only package that knows Excel libraries: the workbook writer, reader and annotator."""
