package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

type caseRow struct {
	ID                                  int64
	Number, Court, FiledOn, Officer     string
	Department, Amount, ClosedOn, DueOn string
	Closed, Overdue, Stopped            bool
	Flags                               []string
}

var flagOptions = []struct{ Value, Label string }{
	{"petition", "信访"}, {"supervised", "上级督办"}, {"opinion", "舆情"}, {"impact", "社会影响"},
}

var sortOptions = []struct{ Value, Label string }{
	{"", "立案日期（新→旧）"}, {"filed", "立案日期（旧→新）"}, {"amount_desc", "标的金额（高→低）"},
	{"closed_desc", "结案日期（新→旧）"}, {"number", "案号"},
}

func (s *Server) today() domain.Date { return domain.DateOf(s.DB.Now(), domain.Beijing) }

func caseFlags(k *domain.Case) []string {
	var f []string
	if k.Petition {
		f = append(f, "信访")
	}
	if k.SupervisedBy != "" {
		f = append(f, "督办")
	}
	if k.PublicOpinion {
		f = append(f, "舆情")
	}
	if k.SocialImpact {
		f = append(f, "社会影响")
	}
	return f
}

// scopeNote tells the user which cases the list holds.
func scopeNote(v domain.Viewer, courtName string) string {
	switch {
	case v.SeesSubtree():
		return courtName + "及辖区法院的执行案件"
	case v.Has(domain.RoleCommandCenter):
		return courtName + "的执行案件"
	case v.Has(domain.RoleDeptHead):
		return "本部门承办的执行案件"
	}
	return "您承办的执行案件"
}

func (s *Server) caseList(w http.ResponseWriter, r *http.Request, rq *request) {
	q := r.URL.Query()
	f := store.CaseFilter{Query: q.Get("q"), Court: q.Get("court"), Status: q.Get("status"), Overdue: q.Get("overdue") == "1",
		Flags: q["flag"], Today: s.today(), After: q.Get("after"), Limit: 50, CaseTypes: s.CaseTypes}
	sort := q.Get("sort")
	switch sort {
	case "amount_desc":
		f.Sort, f.Desc = "amount", true
	case "closed_desc":
		f.Sort, f.Desc = "closed", true
	case "filed", "number":
		f.Sort = sort
	}
	pg, err := s.DB.Cases(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := s.today()
	rows := make([]caseRow, len(pg.Cases))
	for i, k := range pg.Cases {
		rows[i] = caseRow{ID: k.ID, Number: k.Number, Court: k.CourtName, FiledOn: k.FiledOn.String(), Officer: k.Officer, Department: k.Department,
			Amount: domain.FormatAmount(k.Amount), ClosedOn: k.ClosedOn.String(), DueOn: k.DueOn.String(), Closed: k.Closed(),
			Overdue: k.Overdue(today), Stopped: k.ClockStopped && !k.Closed(), Flags: caseFlags(k)}
	}
	d := struct {
		Filter                       store.CaseFilter
		Courts, Sorts, FlagOptions   []option
		Rows                         []caseRow
		Total                        int
		Capped                       bool
		NextURL, FirstURL, ScopeNote string
		CanImport                    bool
	}{Filter: f, Rows: rows, Total: pg.Total, Capped: pg.Capped, ScopeNote: scopeNote(rq.viewer, rq.user.CourtName), CanImport: s.canImport(rq.viewer)}
	if rq.viewer.SeesSubtree() {
		courts, err := s.DB.CourtsUnder(r.Context(), rq.viewer.CourtPath)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(courts) > 1 {
			for _, c := range courts {
				d.Courts = append(d.Courts, option{Value: c.Code, Label: c.Code + " " + c.Name, Selected: c.Code == f.Court})
			}
		}
	}
	for _, o := range sortOptions {
		d.Sorts = append(d.Sorts, option{Value: o.Value, Label: o.Label, Selected: o.Value == sort})
	}
	flags := map[string]bool{}
	for _, fl := range f.Flags {
		flags[fl] = true
	}
	for _, o := range flagOptions {
		d.FlagOptions = append(d.FlagOptions, option{Value: o.Value, Label: o.Label, Selected: flags[o.Value]})
	}
	if pg.Next != "" {
		nq := cloneValues(q)
		nq.Set("after", pg.Next)
		d.NextURL = "/cases?" + nq.Encode()
	}
	if f.After != "" {
		nq := cloneValues(q)
		nq.Del("after")
		d.FirstURL = "/cases?" + nq.Encode()
	}
	s.render(w, r, http.StatusOK, "cases", &page{Title: "执行案件", Data: d})
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// canImport reports whether the viewer may load case files.
func (s *Server) canImport(v domain.Viewer) bool { return v.CanImportCases() }

func caseID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PathValue("id")), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.ErrNotFound
	}
	return id, nil
}
