package web

import (
	"bytes"
	"strconv"
	"strings"
)

// writeCase writes the case page's content (the "content" block of
// case.html) with every text escaped. Through the template its ~120
// actions, each field looked up and each text escaped by a reflective
// call, were a third of the page's CPU outside its SQL and more than its
// HTTP (pprof of the case-detail page at 100,000 cases); form is the
// page's failed post, if any, which the ledger forms and the findings'
// dismissals show again. render gives it the page's own buffer, so that
// the content is not made apart and copied.
func writeCase(b *bytes.Buffer, d caseDetail, form formState) {
	esc := escapeHTML
	id := strconv.FormatInt(d.ID, 10)
	num := esc(d.Number)
	b.WriteString(`
<nav class="breadcrumb"><a href="/cases">执行案件</a><span class="breadcrumb-sep">›</span><span class="mono">` + num + `</span></nav>
<div class="page-head">
  <h1 class="page-title mono">` + num + `</h1>
  <p class="page-sub">` + esc(d.Court) + "\n    ")
	if d.Closed {
		b.WriteString(`<span class="badge badge-muted">已结</span>`)
	} else {
		b.WriteString(`<span class="badge badge-info">未结</span>`)
	}
	b.WriteString("\n    ")
	if d.Overdue {
		b.WriteString(`<span class="badge badge-danger">超过执行期限</span>`)
	}
	b.WriteString("\n    ")
	for _, f := range d.Flags {
		b.WriteString(`<span class="tag">` + esc(f) + "</span> ")
	}
	b.WriteString("\n    ")
	if d.Strong {
		b.WriteString(`<a class="badge badge-danger" href="/complaints?case=` + queryEscape(d.Number) + `">当事人反映强烈</a>`)
	}
	b.WriteString(`
  </p>
</div>

<section class="card">
  <h2 class="card-title">案件信息</h2>
  <dl class="props">
`)
	prop := func(label, value string) {
		b.WriteString(`    <div class="prop"><dt>` + label + "</dt><dd>" + esc(value) + "</dd></div>\n")
	}
	prop("立案日期", d.FiledOn)
	prop("承办人", or(d.Officer, "—"))
	prop("承办部门", or(d.Department, "—"))
	b.WriteString(`    <div class="prop"><dt>执行标的金额</dt><dd>` + esc(d.Amount) + " 元</dd></div>\n")
	prop("有无财产可供执行", d.Property)
	prop("案件类别", d.Kind)
	prop("结案日期", or(d.ClosedOn, "—"))
	prop("结案方式", or(d.ClosingMode, "—"))
	prop("上级法院督办", or(d.Supervised, "—"))
	b.WriteString(`  </dl>
</section>

<section class="card">
  <div class="card-head"><h2 class="card-title">当事人</h2><span class="card-count">` + strconv.Itoa(len(d.Parties)) + ` 人</span></div>
  <table class="table table-compact">
    <thead><tr><th>身份</th><th>姓名/名称</th><th>类型</th><th>联系电话</th></tr></thead>
    <tbody>
    `)
	for _, p := range d.Parties {
		kind := "自然人"
		if p.Org {
			kind = "单位"
		}
		b.WriteString("\n      <tr>\n        <td>" + esc(p.Role) + "</td>\n        <td>" + esc(p.Name) + "</td>\n        <td>" + kind + "</td>\n        <td class=\"mono\">")
		switch {
		case p.Revealed != "":
			b.WriteString(esc(p.Revealed) + ` <span class="badge badge-info">已记录查看</span>`)
		case p.Masked != "":
			b.WriteString(esc(p.Masked) + "\n          ")
			if p.CanReveal {
				b.WriteString(`<form class="op-form-inline" method="post" action="/cases/` + id + `/parties/` + strconv.FormatInt(p.ID, 10) +
					`/phone"><button type="submit" class="btn btn-link">查看完整号码</button></form>`)
			}
			b.WriteString("\n          ")
		default:
			b.WriteString(`<span class="muted">未登记</span>`)
		}
		b.WriteString("</td>\n      </tr>\n    ")
	}
	if len(d.Parties) == 0 {
		b.WriteString("\n      <tr><td colspan=\"4\" class=\"empty\">暂无当事人信息</td></tr>\n    ")
	}
	b.WriteString("\n    </tbody>\n  </table>\n  ")
	if d.CanReveal {
		b.WriteString(`<p class="hint">完整号码仅在需要时查看；每次查看均记入审计日志。</p>`)
	}
	b.WriteString(`
</section>

<section class="card">
  <h2 class="card-title">执行期限</h2>
  `)
	caseDeadlineHTML(b, d, form)
	b.WriteString("</section>\n\n")
	caseFormsHTML(b, d, id)
	b.WriteString(`<section class="card">
  <h2 class="card-title">流程节点</h2>
  <ol class="timeline">
  `)
	for _, n := range d.Timeline {
		b.WriteString(`
    <li class="timeline-item`)
		if n.Late {
			b.WriteString(" is-late")
		}
		if n.Missing {
			b.WriteString(" is-missing")
		}
		b.WriteString("\">\n      <span class=\"timeline-date\">" + esc(or(n.On, "—")) + "</span>\n      <span class=\"timeline-kind\">" + esc(n.Kind) + "</span>\n      ")
		switch {
		case n.Late:
			b.WriteString(`<span class="badge badge-danger">超期：` + esc(n.Limit) + "</span>")
		case n.Missing:
			b.WriteString(`<span class="badge badge-danger">未见节点：` + esc(n.Limit) + "</span>")
		case n.Limit != "":
			b.WriteString(`<span class="muted">` + esc(n.Limit) + "</span>")
		}
		b.WriteString("\n      ")
		if n.Note != "" {
			b.WriteString(`<span class="muted">` + esc(n.Note) + "</span>")
		}
		b.WriteString("\n    </li>\n  ")
	}
	b.WriteString(`
  </ol>
</section>

<section class="card">
  <div class="card-head"><h2 class="card-title">执行行为</h2><span class="card-count">` + strconv.Itoa(len(d.Acts)) + ` 条</span></div>
  <table class="table table-compact"><thead><tr><th>日期</th><th>行为</th><th class="col-num">金额（元）</th><th>备注</th></tr></thead><tbody>
  `)
	for _, a := range d.Acts {
		b.WriteString("<tr><td>" + esc(a.On) + "</td><td>" + esc(a.Kind) + `</td><td class="col-num">` + esc(a.Amount) + "</td><td>" + esc(a.Note) + "</td></tr>")
	}
	if len(d.Acts) == 0 {
		b.WriteString(`<tr><td colspan="4" class="empty">案件管理系统未报送执行行为。</td></tr>`)
	}
	b.WriteString("\n  </tbody></table>\n</section>\n")
	if d.ShowFindings {
		b.WriteString(`
<section class="card" id="patrol">
  <div class="card-head"><h2 class="card-title">网上巡查发现的问题</h2><span class="card-count">` + strconv.Itoa(len(d.Findings)) + ` 项</span></div>
  
<table class="table">
  <thead><tr><th>案号</th><th>问题</th><th>方面</th><th>首次发现</th><th>状态</th><th class="col-actions">核实</th></tr></thead>
  <tbody>
  ` + string(findingRowsHTML(d.Findings, d.Back, form)) + `
  </tbody>
</table>

</section>
`)
	}
	b.WriteString("\n")
}

// caseDeadlineHTML writes the case's time limit, its ledger of periods
// not counted and extensions, and the ledger's forms.
func caseDeadlineHTML(b *bytes.Buffer, d caseDetail, form formState) {
	esc := escapeHTML
	if dl := d.Deadline; dl != nil {
		b.WriteString(`
  <dl class="props">
    <div class="prop"><dt>适用规则</dt><dd>` + esc(dl.Rule) + `</dd></div>
    <div class="prop"><dt>届满日期</dt><dd>`)
		if dl.Running {
			b.WriteString(`<span class="badge badge-muted">期限中止计算</span>`)
		} else {
			b.WriteString(esc(dl.Due))
			if dl.Overdue {
				b.WriteString(` <span class="badge badge-danger">已超期</span>`)
			}
		}
		b.WriteString(`</dd></div>
    <div class="prop"><dt>依据</dt><dd>` + esc(dl.Basis) + `</dd></div>
  </dl>
  <ol class="ledger">`)
		for _, l := range dl.Lines {
			b.WriteString("<li>" + esc(l) + "</li>")
		}
		b.WriteString("</ol>\n  ")
	} else {
		b.WriteString("\n  <p class=\"muted\">该案件不适用执行期限规则。</p>\n  ")
	}
	b.WriteString(`

  <h3 class="subhead">不计入期限的期间</h3>
  <table class="table table-compact">
    <thead><tr><th>事由</th><th class="col-date">起始</th><th class="col-date">结束</th><th>依据</th></tr></thead>
    <tbody>
    `)
	for _, p := range d.Pauses {
		b.WriteString("<tr><td>" + esc(p.Kind) + `</td><td class="col-date">` + esc(p.Start) + `</td><td class="col-date">`)
		if p.End != "" {
			b.WriteString(esc(p.End))
		} else {
			b.WriteString(`<span class="badge badge-info">进行中</span>`)
		}
		b.WriteString("</td><td>" + esc(p.Basis) + "</td></tr>\n    ")
	}
	if len(d.Pauses) == 0 {
		b.WriteString(`<tr><td colspan="4" class="empty">无</td></tr>`)
	}
	b.WriteString(`
    </tbody>
  </table>
  <h3 class="subhead">批准延长</h3>
  <table class="table table-compact">
    <thead><tr><th>延长</th><th class="col-date">批准日期</th><th>依据</th></tr></thead>
    <tbody>
    `)
	for _, e := range d.Extensions {
		b.WriteString("<tr><td>" + esc(e.Amount) + `</td><td class="col-date">` + esc(e.ApprovedOn) + "</td><td>" + esc(e.Basis) + "</td></tr>\n    ")
	}
	if len(d.Extensions) == 0 {
		b.WriteString(`<tr><td colspan="3" class="empty">无</td></tr>`)
	}
	b.WriteString("\n    </tbody>\n  </table>\n  ")
	if d.CanEditLedger {
		b.WriteString("\n  <div class=\"ops\">\n    " + string(ledgerFormsHTML(d.ID, d.PauseKinds, form)) + "\n  </div>\n  ")
	}
	b.WriteString("\n")
}

// caseFormsHTML writes the forms of those who may supervise, flag or
// focus the case.
func caseFormsHTML(b *bytes.Buffer, d caseDetail, id string) {
	if d.CanSupervise {
		b.WriteString(`
<section class="card">
  <h2 class="card-title">上级法院督办</h2>
  <form class="form form-inline" method="post" action="/cases/` + id + `/supervise">
    <div class="field"><label for="s-doc">督办文号<span class="req">*</span></label><input id="s-doc" name="doc" type="text" required maxlength="100"></div>
    <div class="field"><label for="s-on">督办日期<span class="req">*</span></label><input id="s-on" name="on" type="date" max="` + escapeHTML(d.Today) + `" required></div>
    <div class="field field-wide"><label for="s-note">督办事项</label><input id="s-note" name="note" type="text" maxlength="500"></div>
    <button type="submit" class="btn">登记督办</button>
  </form>
  <p class="hint">以本院名义督办下级法院的案件；督办的案件列入重点回访。</p>
</section>
`)
	}
	b.WriteString("\n\n")
	if d.CanFlag {
		b.WriteString(`
<section class="card">
  <h2 class="card-title">重点执行案件标注</h2>
  <form class="form form-inline" method="post" action="/cases/` + id + `/flags">
    <label><input type="checkbox" name="social_impact" value="1"` + checked(d.SocialImpact) + `> 有较大社会影响</label>
    <label><input type="checkbox" name="public_opinion" value="1"` + checked(d.PublicOpinion) + `> 可能引发重大舆情</label>
    <button type="submit" class="btn">保存标注</button>
  </form>
  <p class="hint">标注后即列入重点执行案件候选，由执行局综合评估。</p>
</section>
`)
	}
	b.WriteString("\n\n")
	if d.CanFocus {
		b.WriteString(`
<section class="card">
  <h2 class="card-title">重点回访</h2>
  <form class="form form-inline" method="post" action="/cases/` + id + `/focus">
    <div class="field field-wide"><label for="f-note">理由<span class="req">*</span></label><input id="f-note" name="note" type="text" required placeholder="如：当事人多次来电反映执行进展"></div>
    <button type="submit" class="btn">列入重点回访</button>
  </form>
</section>
`)
	}
	b.WriteString("\n\n")
}

// checked is a checkbox's checked attribute when on.
func checked(on bool) string {
	if on {
		return " checked"
	}
	return ""
}

// or is the template's or for two strings: s, or else when s is empty.
func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// queryEscape is a value in a URL's query as html/template writes one:
// every byte but letters, digits and -._~ percent-encoded, in lower case.
func queryEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			const hex = "0123456789abcdef"
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
