package deadline

import (
	"fmt"
	"strings"
)

// builtinArrangement is the State Council's holiday arrangement, copied from
// the published notices; it is parsed like a court's own file.
//
// 2025: 《国务院办公厅关于2025年部分节假日安排的通知》.
// 2026: 《国务院办公厅关于2026年部分节假日安排的通知》（2025年11月4日发布，
// 新华社全文播发）.
//
// Later years must be loaded by the court from the official notice each
// year (ParseCalendar, then Merge); until then Compute warns that the year
// is judged by weekends alone.
const builtinArrangement = `
# 2025年
2025-01-01,休,元旦
2025-01-26,班,春节调休
2025-01-28~2025-02-04,休,春节
2025-02-08,班,春节调休
2025-04-04~2025-04-06,休,清明节
2025-04-27,班,劳动节调休
2025-05-01~2025-05-05,休,劳动节
2025-05-31~2025-06-02,休,端午节
2025-09-28,班,国庆节、中秋节调休
2025-10-01~2025-10-08,休,国庆节、中秋节
2025-10-11,班,国庆节、中秋节调休

# 2026年
2026-01-01~2026-01-03,休,元旦
2026-01-04,班,元旦调休
2026-02-14,班,春节调休
2026-02-15~2026-02-23,休,春节
2026-02-28,班,春节调休
2026-04-04~2026-04-06,休,清明节
2026-05-01~2026-05-05,休,劳动节
2026-05-09,班,劳动节调休
2026-06-19~2026-06-21,休,端午节
2026-09-20,班,国庆节调休
2026-09-25~2026-09-27,休,中秋节
2026-10-01~2026-10-07,休,国庆节
2026-10-10,班,国庆节调休
`

// BuiltinCalendar returns a fresh calendar holding the State Council's
// arrangements for 2025 and 2026.
func BuiltinCalendar() *Calendar {
	c, err := ParseCalendar(strings.NewReader(builtinArrangement))
	if err != nil {
		// The text is a constant checked by the tests.
		panic(fmt.Sprintf("built-in holiday arrangement: %v", err))
	}
	return c
}
