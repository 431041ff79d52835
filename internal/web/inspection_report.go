package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/zhilian/zhilian/internal/docx"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/store"
)

// reportFor loads the 通报 of the campaign in the path.
func (s *Server) reportFor(r *http.Request, rq *request) (*store.InspectionReport, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.DB.InspectionReport(r.Context(), rq.viewer, id)
}

func reportTitle(rep *store.InspectionReport) string {
	return "关于" + rep.In.Title + "情况的通报"
}

// reportSummary is the 通报's opening paragraph.
func reportSummary(rep *store.InspectionReport) string {
	in := rep.In
	grades := map[inspection.Grade]int{}
	for _, c := range rep.Courts {
		for g, n := range c.Grades {
			grades[g] += n
		}
	}
	var gs []string
	for _, g := range inspection.Grades {
		gs = append(gs, fmt.Sprintf("%s%d件", g.Label(), grades[g]))
	}
	return fmt.Sprintf("根据《关于建立四项机制加强执行廉政建设的意见》，%s执行局、派驻纪检监察组、监察室成立工作组，于%s至%s对%d个法院（部门）开展%s（%s）。共%s%d个，完成评查%d个，其中%s；发现并维持问题%d个。现将有关情况通报如下。",
		in.CourtName, in.From.Chinese(), in.To.Chinese(), len(in.Scope), in.Kind.Label(), in.ThemeText(), targetWord(in.Kind), rep.Targets, rep.Reviewed,
		strings.Join(gs, "、"), rep.Kept) + fundsSentence(rep)
}

// fundsSentence is what the 通报 says of the money pre-check, "" for a
// campaign of another theme.
func fundsSentence(rep *store.InspectionReport) string {
	f := rep.Funds
	if f == nil {
		return ""
	}
	if f.Count == 0 {
		return fmt.Sprintf("经对执行案款到账、发放记录预查，未发现到账后超过%d日未发放的案款。", f.Days)
	}
	held, amount := 0, int64(0)
	for _, c := range f.Courts {
		held += c.StillHeld
		amount += c.HeldAmount
	}
	return fmt.Sprintf("经对执行案款到账、发放记录预查，%d笔案款（%s）到账后超过%d日未发放，其中截至%s仍未发放%d笔（%s）。",
		f.Count, store.YuanText(f.Amount), f.Days, f.On.Chinese(), held, store.YuanText(amount))
}

func targetWord(k inspection.Kind) string {
	if k == inspection.KindCaseReview {
		return "评查案件"
	}
	return "督察对象"
}

func gradeCell(c store.CourtFigures) string {
	var out []string
	for _, g := range inspection.Grades {
		out = append(out, fmt.Sprintf("%s%d", g.Label(), c.Grades[g]))
	}
	return strings.Join(out, " ")
}

// inspectionReport shows the 通报 as a printable A4 page.
func (s *Server) inspectionReport(w http.ResponseWriter, r *http.Request, rq *request) {
	rep, err := s.reportFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "inspection_print", &page{Title: reportTitle(rep), Data: map[string]any{"Rep": rep, "Title": reportTitle(rep),
		"Summary": reportSummary(rep), "Grades": inspection.Grades, "Back": fmt.Sprintf("/inspections/%d", rep.In.ID), "Today": s.today().Chinese()}})
}

// inspectionReportDocx sends the 通报 as a Word document.
func (s *Server) inspectionReportDocx(w http.ResponseWriter, r *http.Request, rq *request) {
	rep, err := s.reportFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var d docx.Doc
	d.Title(reportTitle(rep))
	d.Para(reportSummary(rep))
	d.Heading("一、各法院评查情况及排名")
	rows := [][]string{{"名次", "法院", "评查数", "平均得分率（%）", "等次", "维持问题", "其中严重"}}
	widths := []int{1, 3, 1, 2, 4, 1, 1}
	if rep.Funds != nil {
		rows[0], widths = append(rows[0], "超期未发放案款"), append(widths, 2)
	}
	for _, c := range rep.Courts {
		row := []string{fmt.Sprint(c.Rank), c.CourtName, fmt.Sprintf("%d/%d", c.Reviewed, c.Targets), c.AverageText(), gradeCell(c),
			fmt.Sprint(c.Findings), fmt.Sprint(c.Serious)}
		if rep.Funds != nil {
			row = append(row, c.FundsText())
		}
		rows = append(rows, row)
	}
	d.Table(widths, rows)
	d.Heading("二、存在的典型问题")
	if len(rep.Problems) == 0 {
		d.Para("未发现需要通报的问题。")
	}
	for i, p := range rep.Problems {
		d.Para(fmt.Sprintf("（%s）%s问题%d个。%s", chineseNumber(i+1), p.Category, p.Count, strings.Join(p.Examples, "；")))
	}
	d.Heading("三、整改要求")
	d.Para("各有关法院要对照问题清单逐项整改，于整改期限内将整改情况书面报告，整改情况纳入下一次督察评查的内容。")
	list := [][]string{{"序号", "单位", "问题", "整改期限", "整改状态"}}
	for i, l := range rep.Rectify {
		dl := ""
		if !l.Deadline.IsZero() {
			dl = l.Deadline.String()
		}
		list = append(list, []string{fmt.Sprint(i + 1), l.Unit, l.Text, dl, l.State})
	}
	d.Table([]int{1, 3, 6, 2, 2}, list)
	d.Right(rep.In.CourtName + "\n" + s.today().Chinese())
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(reportTitle(rep)+".docx"))
	if _, err := w.Write(buf.Bytes()); err != nil {
		s.Log.Warn("sending a report", "err", err)
	}
}

// inspectionReportXlsx sends the campaign's statistics as a workbook: the
// figures per court, the problems by category and the rectification list.
func (s *Server) inspectionReportXlsx(w http.ResponseWriter, r *http.Request, rq *request) {
	rep, err := s.reportFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := newWorkbook("各院情况")
	head := []any{"名次", "法院代码", "法院", "评查对象", "已评查", "平均得分率（%）"}
	for _, g := range inspection.Grades {
		head = append(head, g.Label())
	}
	head = append(head, "维持问题", "其中严重", "整改事项", "已销号")
	if rep.Funds != nil {
		head = append(head, "超期未发放案款（笔）", "超期未发放案款（元）")
	}
	b.row(head...)
	for _, c := range rep.Courts {
		row := []any{c.Rank, c.CourtCode, c.CourtName, c.Targets, c.Reviewed, c.AverageText()}
		for _, g := range inspection.Grades {
			row = append(row, c.Grades[g])
		}
		row = append(row, c.Findings, c.Serious, c.Items, c.Closed)
		if rep.Funds != nil {
			row = append(row, c.FundsHeld, domain.FormatAmount(c.FundsAmount))
		}
		b.row(row...)
	}
	if f := rep.Funds; f != nil {
		b.addSheet("案款预查")
		b.row("法院", "案号", "承办部门", "承办人", "到账日期", "金额（元）", "应发放日期", "发放日期", "超期天数")
		for _, c := range f.Courts {
			for _, l := range c.Lines {
				paid := "未发放"
				if !l.Held() {
					paid = l.PaidOn.String()
				}
				b.row(c.CourtName, l.CaseNo, l.Department, l.Officer, l.Received.String(), domain.FormatAmount(l.Amount), l.Due.String(), paid, l.DaysOver)
			}
		}
	}
	b.addSheet("问题分类")
	b.row("类别", "个数", "举例")
	for _, p := range rep.Problems {
		b.row(p.Category, p.Count, strings.Join(p.Examples, "；"))
	}
	b.addSheet("整改清单")
	b.row("问题编号", "单位", "问题", "整改编号", "整改期限", "整改状态")
	for _, l := range rep.Rectify {
		dl := ""
		if !l.Deadline.IsZero() {
			dl = l.Deadline.String()
		}
		b.row(l.FindingID, l.Unit, l.Text, l.RectID, dl, l.State)
	}
	s.sendWorkbook(w, r, b, rep.In.Title+"统计.xlsx")
}

// chineseNumber writes 1–99 in Chinese numerals, for the 通报's items.
func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}
