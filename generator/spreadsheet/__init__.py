"""The spreadsheet bridge: the tables teams already fill in, read into plans, and the
computed statuses written back out as a workbook.

- `columns`: the vocabulary, every table the seeds' workbooks hold (推广任务拆解与责任分配表,
  营销策略执行跟踪总表, 问题与风险跟踪表 …) with the column names and synonyms people write,
  in Chinese (simplified or traditional) and English;
- `cells`: how one cell is read (dates such as `2024.07.15` or `7月15日`, ranges, `30%`,
  `20万`, `1:4`, `R1:张三`, 高/中/低 …), each reading that needed interpreting noted;
- `reader`: a workbook (openpyxl) or a CSV file into located sheets of rows;
- `importer`: sheets into a plan draft, then YAML (`planyaml`), checked by the project's
  own validator before anything is written;
- `template`: the empty (or pre-filled) workbook with sheets, headers and validations;
- `export`: the computed statuses as a workbook (real numbers and dates, status colours).
"""
