package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestTripAccountabilityPeriodRefused (issue 17): on the 一岗双责
// statistics a year or month that is not one is refused beside its
// field, the input kept, and not exported or printed; it was replaced by
// this year's figures without a word.
func TestTripAccountabilityPeriodRefused(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "acc.head", "鲁0102", "执行一庭", domain.RoleDeptHead)
	head := e.browser().loggedIn("acc.head")
	if r := head.get("/trips/accountability?year=2026&month=3"); r.status != http.StatusOK || !strings.Contains(r.body, "一岗双责统计（2026年3月）") ||
		!strings.Contains(r.body, `id="a-year" name="year" type="number" inputmode="numeric" min="2000" max="2100" value="2026"`) || !strings.Contains(r.body, `<option value="3" selected>`) {
		t.Fatalf("a good period: %d\n%s", r.status, r.body)
	}
	// With no period asked, the year in force is in its field.
	year := fmt.Sprint(e.app.DB.Today().Year())
	if r := head.get("/trips/accountability"); r.status != http.StatusOK || !strings.Contains(r.body, `max="2100" value="`+year+`"`) {
		t.Fatalf("this year: %d\n%s", r.status, r.body)
	}
	for _, bad := range []struct{ query, field, msg, kept string }{
		{"year=26", "year", "年度应写作四位数字，如 2026", `value="26"`},
		{"year=1999", "year", "年度应写作四位数字，如 2026", `value="1999"`},
		{"year=二〇二六", "year", "年度应写作四位数字，如 2026", `value="二〇二六"`},
		{"year=2026&month=13", "month", "月份应为 1 至 12 月", `value="2026"`},
	} {
		r := head.get("/trips/accountability?" + bad.query)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `<p class="field-error" id="err-`+bad.field+`">`+bad.msg) ||
			!strings.Contains(r.body, bad.kept) || !strings.Contains(r.body, `aria-invalid="true"`) {
			t.Errorf("%s: %d\n%s", bad.query, r.status, r.body)
		}
		if r := head.get("/trips/accountability.xlsx?" + bad.query); r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s exported: %d", bad.query, r.status)
		}
		if r := head.get("/trips/accountability?print=1&" + bad.query); r.status != http.StatusUnprocessableEntity || strings.Contains(r.body, "情况汇总") {
			t.Errorf("%s printed: %d", bad.query, r.status)
		}
	}
}
