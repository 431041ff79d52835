package web

import (
	"bytes"
	"strconv"
)

// writeCases writes the case list's content (the "content" block of
// cases.html): the filters, the sortable headings, the rows and the
// pager. Through the template its ~40 actions, the four headings each
// building its link twice by reflective calls, were most of what the
// list and the searches spent on rendering once the rows and the pager
// were written in Go (pprof of search-number at 100,000 cases). b is
// the page's own buffer.
func writeCases(b *bytes.Buffer, d caseList) {
	b.Grow(len(d.CourtOptions) + len(d.Rows)*700 + 8192)
	esc := escapeHTML
	b.WriteString(`
<div class="page-head page-head-row">
  <div>
    <h1 class="page-title">执行案件</h1>
    <p class="page-sub">` + esc(d.ScopeNote) + `</p>
  </div>
  `)
	if d.CanImport {
		b.WriteString(`<a class="btn btn-primary" href="/cases/import">导入案件</a>`)
	}
	b.WriteString(`
</div>

<section class="card">
  <form class="filters" method="get" action="/cases">
    <div class="field field-wide">
      <label for="c-q">查询</label>
      <input id="c-q" name="q" type="search" value="` + esc(d.Filter.Query) + `" placeholder="案号（任意写法）、当事人或承办人">
    </div>
    `)
	if d.CourtOptions != "" {
		b.WriteString(`
    <div class="field">
      <label for="c-court">法院</label>
      <select id="c-court" name="court">
        <option value="">全部</option>
        ` + string(d.CourtOptions) + `
      </select>
    </div>
    `)
	}
	b.WriteString(`
    <div class="field">
      <label for="c-status">状态</label>
      <select id="c-status" name="status">
        <option value="">全部</option>
        <option value="open"` + selected(d.Filter.Status == "open") + `>未结</option>
        <option value="closed"` + selected(d.Filter.Status == "closed") + `>已结</option>
      </select>
    </div>
    <div class="field">
      <span class="label">标记</span>
      <div class="check-grid">
        <label class="check"><input type="checkbox" name="overdue" value="1"` + checked(d.Filter.Overdue) + `> 超期未结</label>
        `)
	for _, o := range d.FlagOptions {
		b.WriteString(`<label class="check"><input type="checkbox" name="flag" value="` + esc(o.Value) + `"` + checked(o.Selected) + "> " + esc(o.Label) + "</label>")
	}
	b.WriteString("\n      </div>\n    </div>\n    ")
	if rq := d.List.Req; rq.Sort != "" {
		b.WriteString(`<input type="hidden" name="sort" value="` + esc(rq.Sort) + `">`)
		if rq.Desc {
			b.WriteString(`<input type="hidden" name="order" value="desc">`)
		}
	}
	if n := d.List.Req.Size; n != 0 {
		b.WriteString(`<input type="hidden" name="size" value="` + strconv.Itoa(n) + `">`)
	}
	more := " 件"
	if d.List.Info.Capped {
		more = " 件以上"
	}
	b.WriteString(`
    <div class="filters-actions">
      <button type="submit" class="btn btn-primary">查询</button>
      <a class="btn btn-link" href="/cases">重置</a>
    </div>
  </form>

  <div class="card-head">
    <h2 class="card-title">案件列表</h2>
    <span class="card-count">共 ` + strconv.Itoa(d.List.Info.Total) + more + `</span>
  </div>
  <table class="table table-compact">
    <thead>
      
      <tr>`)
	head := func(class, key, label string) {
		h := d.List.Col(key, label)
		b.WriteString("<th" + class + ` aria-sort="` + esc(h.Order) + `">` + string(sortHTML(h)) + "</th>")
	}
	head("", "number", "案号")
	b.WriteString("<th>法院</th>")
	head(` class="col-date"`, "filed", "立案日期")
	b.WriteString("<th>承办人</th><th>承办部门</th>")
	head(` class="col-num"`, "amount", "标的金额（元）")
	b.WriteString(`<th class="col-status">状态</th>`)
	head(` class="col-date"`, "closed", "期限/结案")
	b.WriteString(`<th>标记</th></tr>
    </thead>
    <tbody>
    `)
	writeCaseRows(b, d.Rows)
	b.WriteString(`
    </tbody>
  </table>
  `)
	writePager(b, d.List)
	b.WriteString(`
</section>
`)
}

// selected is an option's selected attribute when on.
func selected(on bool) string {
	if on {
		return " selected"
	}
	return ""
}
