"""Pure kernel modules about Chinese official text (no Django): the character classes and
the one document-number grammar, imported alike by the document parser
(``shuzheng.documents.parsing``) and the search app (tokenizer and query parser)."""
