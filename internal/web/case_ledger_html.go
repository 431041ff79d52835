package web

import (
	"html/template"
	"strconv"
	"strings"
)

// ledgerFormsHTML writes the case page's two ledger forms (a period not
// counted, an approved extension) with what a failed post typed and its
// messages. Through the template their ~40 form-state calls, each
// reflective, were as much as the rest of the case page's content (pprof
// at 100,000 cases).
func ledgerFormsHTML(caseID int64, kinds []string, form formState) template.HTML {
	var b strings.Builder
	b.Grow(4096)
	id := strconv.FormatInt(caseID, 10)
	f := form.For("pause")
	b.WriteString(`<form class="form form-inline" method="post" action="/cases/` + id + `/pauses"><input type="hidden" name="_form" value="pause">
      <div class="field` + f.Bad("kind") + `"><label for="p-kind">事由</label>
        <select id="p-kind" name="kind" ` + string(f.Attrs("kind")) + ">")
	sel := f.Val("kind", "")
	for _, k := range kinds {
		b.WriteString(`<option value="` + escapeHTML(k) + `"`)
		if k == sel {
			b.WriteString(" selected")
		}
		b.WriteString(">" + escapeHTML(k) + "</option>")
	}
	b.WriteString("</select>" + fieldError(f, "kind") + "</div>\n")
	ledgerField(&b, f, "start", "", "p-start", "起始", `type="date" lang="zh-CN" required`)
	ledgerField(&b, f, "end", "", "p-end", "结束（进行中可不填）", `type="date" lang="zh-CN"`)
	ledgerField(&b, f, "basis", " field-wide", "p-basis", "依据", `type="text" required placeholder="如：（2021）鲁0102执123号之一中止执行裁定"`)
	b.WriteString(`      <button type="submit" class="btn">登记期间</button>
    </form>
`)
	f = form.For("extension")
	b.WriteString(`    <form class="form form-inline" method="post" action="/cases/` + id + `/extensions"><input type="hidden" name="_form" value="extension">
`)
	ledgerField(&b, f, "months", "", "e-months", "延长（月）", `type="number" min="1" max="36" required`)
	ledgerField(&b, f, "approved_on", "", "e-on", "批准日期", `type="date" lang="zh-CN" required`)
	ledgerField(&b, f, "basis", " field-wide", "e-basis", "依据", `type="text" required placeholder="如：院长批准延长执行期限审批表"`)
	b.WriteString(`      <button type="submit" class="btn">登记延长</button>
    </form>
`)
	return template.HTML(b.String()) //nolint:gosec // every typed value and message is escaped; the rest is constant
}

// ledgerField writes one input of a ledger form: its wrapper, marked when
// wrong, the label, the input with what was typed, and its message.
func ledgerField(b *strings.Builder, f formState, name, wide, id, label, attrs string) {
	b.WriteString(`      <div class="field` + wide + f.Bad(name) + `"><label for="` + id + `">` + label + `</label><input id="` + id + `" name="` + name + `" ` + attrs +
		` value="` + escapeHTML(f.Val(name, "")) + `" ` + string(f.Attrs(name)) + ">" + fieldError(f, name) + "</div>\n")
}

// fieldError is the field_error partial: the field's message, if any.
func fieldError(f formState, name string) string {
	m := f.Field(name)
	if m.Msg == "" {
		return ""
	}
	return `<p class="field-error" id="` + escapeHTML(m.ID) + `">` + escapeHTML(m.Msg) + "</p>"
}
