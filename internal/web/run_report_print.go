package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/zhilian/zhilian/internal/docx"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/store"
)

// A report printed on A4 and as Word, and the higher court's combined
// report, in one order: the narrative under its four headings with the
// typical problems, rectification and dispositions beside the text they
// bear on, then the figures as an annex, then who signed.

// runReportSigned is the signature line of a report: who signed it, when,
// and the content's SHA-256; "" before it is submitted.
func runReportSigned(rep *store.RunReport) string {
	if rep.Signature.Hash == "" || !rep.Frozen() {
		return ""
	}
	return fmt.Sprintf("签署：%s（电子签名），%s；内容摘要 SHA-256 %s", rep.Signature.Signer, rep.SignedText(), rep.Signature.Hash)
}

// paragraphs splits a text into its paragraphs.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(text, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// runReportDoc writes the content c as Word: with the narrative (a court's
// report) or without (the combined report).
func runReportDoc(d *docx.Doc, c *report.Snapshot) {
	d.Title(c.Title)
	d.Para(fmt.Sprintf("报告期间：%s（%s至%s）；统计范围：%s；数据截至%s。", c.PeriodLabel, c.From, c.To, c.Scope(), c.AsOf))
	texts := map[string][]string{}
	for _, t := range c.Narrative {
		texts[t.Key] = paragraphs(t.Body)
	}
	section := func(i int, key, heading string, then func()) {
		d.Heading(chineseNumber(i) + "、" + heading)
		for _, p := range texts[key] {
			d.Para(p)
		}
		if then != nil {
			then()
		}
	}
	section(1, "basic", "基本情况", func() {
		if sec := c.Section(overview.SectionIndicators); sec != nil {
			d.Para("执行核心指标：")
			runReportFigureTable(d, *sec)
		}
	})
	section(2, "problems", "发现的问题", func() {
		for _, l := range c.ProblemLines() {
			d.Para(l)
		}
	})
	section(3, "rectify", "整改落实", func() {
		rows := [][]string{{"整改来源", "整改（件）", "整改事项", "已销号", "整改中", "逾期"}}
		for _, l := range c.Rectify {
			rows = append(rows, []string{l.Source, fmt.Sprint(l.Rects), fmt.Sprint(l.Items), fmt.Sprint(l.Closed), fmt.Sprint(l.Open), fmt.Sprint(l.Overdue)})
		}
		if len(c.Rectify) == 0 {
			rows = append(rows, []string{"本期无整改事项", "", "", "", "", ""})
		}
		d.Table([]int{4, 2, 2, 2, 2, 2}, rows)
		d.Para(c.DispositionText())
	})
	if len(c.Narrative) > 0 {
		section(4, "next", "下一步工作", nil)
	}
	d.Heading("附：四项机制运行主要数据")
	for _, sec := range c.Figures {
		if sec.Key == overview.SectionIndicators {
			continue
		}
		d.Para(sec.Name)
		runReportFigureTable(d, sec)
	}
}

func runReportFigureTable(d *docx.Doc, sec report.FigureSection) {
	rows := [][]string{{"指标", "数值", "目标", "状态"}}
	for _, f := range sec.Figures {
		rows = append(rows, []string{f.Name, f.Value(), f.Target, f.StatusLabel()})
	}
	d.Table([]int{5, 4, 2, 2}, rows)
}

// runReportSendDocx sends a Word document named name.
func (s *Server) runReportSendDocx(w http.ResponseWriter, r *http.Request, d *docx.Doc, name string) {
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	if _, err := w.Write(buf.Bytes()); err != nil {
		s.Log.Warn("sending a report", "err", err)
	}
}

// runReportPrint shows a report as a printable A4 page.
func (s *Server) runReportPrint(w http.ResponseWriter, r *http.Request, rq *request) {
	rep, content, err := s.runReportFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	date := s.today()
	if rep.Frozen() {
		date = domain.DateOf(rep.Signature.At, domain.Beijing)
	}
	s.render(w, r, http.StatusOK, "run_report_print", &page{Title: content.Title, Data: map[string]any{"C": content, "R": rep, "Title": content.Title,
		"Back": fmt.Sprintf("/reports/%d", rep.ID), "Docx": fmt.Sprintf("/reports/%d/report.docx", rep.ID), "Signed": runReportSigned(rep),
		"Date": date.Chinese(), "Draft": !rep.Frozen(), "Chart": runReportChart(content)}})
}

// runReportDocx sends a report as a Word document.
func (s *Server) runReportDocx(w http.ResponseWriter, r *http.Request, rq *request) {
	rep, content, err := s.runReportFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var d docx.Doc
	runReportDoc(&d, content)
	date := s.today()
	if rep.Frozen() {
		date = domain.DateOf(rep.Signature.At, domain.Beijing)
	} else {
		d.Para("（草稿，尚未报送，数据截至下载时。）")
	}
	d.Right(rep.CourtName + "\n" + date.Chinese())
	if sig := runReportSigned(rep); sig != "" {
		d.Para(sig)
	}
	s.runReportSendDocx(w, r, &d, content.Title+".docx")
}

// runReportCombinedFor reads the higher court's combined report of the
// period asked for.
func (s *Server) runReportCombinedFor(r *http.Request, rq *request) (*store.RunReportCombined, error) {
	p, err := s.runReportPeriod(r.URL.Query().Get("period"))
	if err != nil {
		return nil, err
	}
	return s.DB.RunReportCombined(r.Context(), rq.viewer, p, s.runReportDue(), s.runReportTargets())
}

// runReportCombined shows the combined report of the viewer's court and
// the courts below as a printable A4 page, with the list of submissions.
func (s *Server) runReportCombined(w http.ResponseWriter, r *http.Request, rq *request) {
	c, err := s.runReportCombinedFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := url.QueryEscape(c.Content.Period)
	s.render(w, r, http.StatusOK, "run_report_combined", &page{Title: c.Content.Title, Data: map[string]any{"C": c.Content, "S": c.Status,
		"Title": c.Content.Title, "Back": "/reports/status?period=" + q, "Docx": "/reports/combined.docx?period=" + q, "Date": s.today().Chinese(),
		"Chart": runReportChart(c.Content)}})
}

// runReportCombinedDocx sends the combined report as a Word document.
func (s *Server) runReportCombinedDocx(w http.ResponseWriter, r *http.Request, rq *request) {
	c, err := s.runReportCombinedFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var d docx.Doc
	runReportDoc(&d, c.Content)
	d.Heading("附：各法院报送情况")
	st := c.Status
	d.Para(fmt.Sprintf("应报送%d个法院，已报送%d个，起草中或被退回%d个，未起草%d个；报送期限%s，逾期未报送%d个。", len(st.Rows), st.Submitted, st.Open, st.Missing,
		st.Due.Chinese(), st.Late))
	rows := [][]string{{"法院", "状态", "报送时间", "逾期", "报告编号"}}
	for _, x := range st.Rows {
		at, late, id := "", "", ""
		if !x.SubmittedAt.IsZero() {
			at = x.SubmittedAt.In(domain.Beijing).Format("2006-01-02 15:04")
		}
		if x.Late {
			late = fmt.Sprintf("逾期%d天", x.DaysLate)
		}
		if x.Readable() {
			id = fmt.Sprintf("第%d号", x.ReportID)
		}
		rows = append(rows, []string{x.CourtName, x.StateLabel(), at, late, id})
	}
	d.Table([]int{5, 2, 3, 2, 2}, rows)
	d.Right(st.CourtName + "\n" + s.today().Chinese())
	s.runReportSendDocx(w, r, &d, c.Content.Title+".docx")
}
