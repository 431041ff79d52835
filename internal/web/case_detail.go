package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/deadline"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

type partyRow struct {
	ID               int64
	Role, Name       string
	Org, CanReveal   bool
	Masked, Revealed string
}

type timelineRow struct {
	Kind, On, Note, Limit string
	Late, Missing         bool
}

type caseDetail struct {
	ID                                                  int64
	Number, Court, FiledOn, Officer, Department, Amount string
	Property, Kind, ClosedOn, ClosingMode, Supervised   string
	Closed, Overdue, CanReveal, CanEditLedger, CanFocus bool
	CanSupervise, Strong                                bool // Strong: 当事人反映强烈, for those who may see its petitions
	// CanFlag: the bureau sets 有较大社会影响 and 可能引发重大舆情 (mechanism 1).
	CanFlag, SocialImpact, PublicOpinion bool
	Today                                string
	Flags                                []string
	Parties                              []partyRow
	Timeline                             []timelineRow
	Deadline                             *struct {
		Rule, Due, Basis string
		Running, Overdue bool
		Lines            []string
	}
	Pauses     []struct{ Kind, Start, End, Basis string }
	Extensions []struct{ Amount, ApprovedOn, Basis string }
	PauseKinds []string
	// Acts are the case's enforcement acts; Findings its patrol findings,
	// shown only to those who see findings (never its officer).
	Acts         []actRow
	ShowFindings bool
	Findings     []findingView
	Back         string
}

func (s *Server) caseShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderCase(w, r, rq, http.StatusOK, nil, "")
}

// renderCase shows a case; revealed holds the one full number the viewer
// asked to see on this request, never stored in a URL or a cookie.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, rq *request, status int, revealed map[int64]string, errMsg string, fs ...formState) {
	id, err := caseID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k, ledger, err := s.DB.CaseWithLedger(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := s.today()
	limits := s.DB.Limits
	d := caseDetail{ID: k.ID, Number: k.Number, Court: k.CourtName, FiledOn: k.FiledOn.String(), Officer: k.Officer, Department: k.Department,
		Amount: domain.FormatAmount(k.Amount), ClosedOn: k.ClosedOn.String(), ClosingMode: k.ClosingMode, Closed: k.Closed(),
		Overdue: k.Overdue(today), Flags: caseFlags(k), CanReveal: rq.viewer.CanRevealPhones(),
		CanEditLedger: rq.viewer.CanEditLedger(k), PauseKinds: deadline.PauseKinds,
		CanFocus: visit.CanAddFocus(rq.viewer, k.OfficerID), CanSupervise: rq.viewer.CanSupervise(k.CourtPath), Today: s.today().String(),
		CanFlag: rq.viewer.Has(domain.RoleBureau) && rq.viewer.CanWriteCases(k.CourtPath), SocialImpact: k.SocialImpact, PublicOpinion: k.PublicOpinion}
	if d.Strong, err = s.DB.StrongReaction(r.Context(), rq.viewer, k.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	switch {
	case !k.PropertyKnown:
		d.Property = "未注明"
	case k.HasProperty:
		d.Property = "有"
	default:
		d.Property = "无"
	}
	d.Kind = "执行实施（" + k.No.Type + "）"
	if k.NonLitigation {
		d.Kind = "非诉执行（" + k.No.Type + "）"
	}
	if k.SupervisedBy != "" {
		d.Supervised = k.SupervisedBy
		if c, err := s.DB.CourtByCode(r.Context(), k.SupervisedBy); err == nil {
			d.Supervised = c.Name
		}
		if !k.SupervisedSince.IsZero() {
			d.Supervised += "，自" + k.SupervisedSince.String()
		}
		if k.SupervisedDoc != "" {
			d.Supervised += "，文号" + k.SupervisedDoc
		}
		if k.SupervisedNote != "" {
			d.Supervised += "（" + k.SupervisedNote + "）"
		}
	}
	for _, p := range k.Parties {
		d.Parties = append(d.Parties, partyRow{ID: p.ID, Role: p.Role.Label(), Name: p.Name, Org: p.Org, Masked: p.PhoneMasked,
			Revealed: revealed[p.ID], CanReveal: d.CanReveal})
	}
	if res, rule, ok := limits.ForCase(k, ledger.DeadlineExtensions(), ledger.DeadlinePauses(), today); ok {
		dl := &struct {
			Rule, Due, Basis string
			Running, Overdue bool
			Lines            []string
		}{Rule: rule.Name, Due: res.Due.String(), Basis: rule.Basis, Running: res.Running, Overdue: !k.Closed() && !res.Running && res.Due.Before(today)}
		for _, l := range res.Lines {
			dl.Lines = append(dl.Lines, l.Step+"："+l.Text)
		}
		d.Deadline = dl
	}
	for _, n := range limits.Timeline(k, ledger.DeadlinePauses(), today) {
		d.Timeline = append(d.Timeline, timelineRow{Kind: string(n.Kind), On: n.On.String(), Note: n.Note, Limit: n.Limit, Late: n.Late, Missing: n.Missing})
	}
	for _, p := range ledger.Pauses {
		d.Pauses = append(d.Pauses, struct{ Kind, Start, End, Basis string }{p.Kind, p.Start.String(), p.End.String(), p.Basis})
	}
	for _, e := range ledger.Extensions {
		d.Extensions = append(d.Extensions, struct{ Amount, ApprovedOn, Basis string }{strconv.Itoa(e.Amount) + e.Unit.String(), e.ApprovedOn.String(), e.Basis})
	}
	if err := s.casePatrol(r, rq, k, &d); err != nil {
		s.fail(w, r, err)
		return
	}
	p := &page{Title: k.Number, Error: errMsg, Data: d}
	if len(fs) > 0 {
		p.Form = fs[0] // a failed post's input and marks (forms.go)
	}
	s.render(w, r, status, "case", p)
}

func (s *Server) caseRevealPhone(w http.ResponseWriter, r *http.Request, rq *request) {
	pid, err := strconv.ParseInt(r.PathValue("party"), 10, 64)
	if err != nil {
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	phone, err := s.DB.RevealPhone(r.Context(), rq.viewer, pid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderCase(w, r, rq, http.StatusOK, map[int64]string{pid: phone}, "")
}

func (s *Server) caseAddPause(w http.ResponseWriter, r *http.Request, rq *request) {
	s.ledgerChange(w, r, rq, "已登记不计入期限的期间。", func(tx *store.Tx, id int64) error {
		p := deadline.Pause{Kind: r.PostFormValue("kind"), Basis: r.PostFormValue("basis")}
		p.Start, _ = domain.ParseDate(r.PostFormValue("start"))
		if e := r.PostFormValue("end"); e != "" {
			p.End, _ = domain.ParseDate(e)
		}
		return tx.AddPause(r.Context(), id, p)
	})
}

func (s *Server) caseAddExtension(w http.ResponseWriter, r *http.Request, rq *request) {
	s.ledgerChange(w, r, rq, "已登记延长执行期限。", func(tx *store.Tx, id int64) error {
		e := deadline.Extension{Unit: deadline.CalendarMonths, Basis: r.PostFormValue("basis")}
		e.Amount, _ = strconv.Atoi(r.PostFormValue("months"))
		e.ApprovedOn, _ = domain.ParseDate(r.PostFormValue("approved_on"))
		return tx.AddExtension(r.Context(), id, e)
	})
}

func (s *Server) ledgerChange(w http.ResponseWriter, r *http.Request, rq *request, done string, fn func(*store.Tx, int64) error) {
	id, err := caseID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil {
		err = s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error { return fn(tx, id) })
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderCase(w, r, rq, http.StatusUnprocessableEntity, nil, "登记失败："+joinErrors(fe), posted(r, err))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, done)
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", id), http.StatusSeeOther)
}

// caseSupervise lets the bureau or command centre of a higher court mark
// the case as supervised (督办).
func (s *Server) caseSupervise(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := caseID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sup := domain.Supervision{Doc: r.PostFormValue("doc"), Note: r.PostFormValue("note")}
	if raw := strings.TrimSpace(r.PostFormValue("on")); raw != "" {
		if sup.On, err = domain.ParseDate(raw); err != nil {
			s.renderCase(w, r, rq, http.StatusUnprocessableEntity, nil, "督办日期应写作 YYYY-MM-DD")
			return
		}
	}
	if err := s.DB.SuperviseCase(r.Context(), rq.viewer, id, sup); err != nil {
		if fieldErrors(err) != nil {
			s.renderCase(w, r, rq, http.StatusUnprocessableEntity, nil, domain.UserMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已登记督办。")
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", id), http.StatusSeeOther)
}
