package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// todoKind is a group of the home page's to-dos: its heading and the page
// that lists every record of its kind.
type todoKind struct{ Name, List string }

// The kinds, in the order the home page shows them.
var (
	todoTracking    = todoKind{"重点案件跟踪", "/tracking"}
	todoVisits      = todoKind{"当事人回访", "/visits"}
	todoInspections = todoKind{"专项督察评查", "/inspections"}
	todoTrips       = todoKind{"外出执行情况报告", "/trips"}
	todoRect        = todoKind{"改进意见建议、整改", "/rectifications"}
	todoClues       = todoKind{"问题线索", "/clues"}
	todoIntegrity   = todoKind{"廉政档案预警", "/integrity?pending=1"}
	todoPatrol      = todoKind{"网上巡查", "/patrol?state=open"}
	todoApprovals   = todoKind{"审批", "/admin/grants"}
	todoReports     = todoKind{"四项机制运行情况报告", "/reports"}
	todoKinds       = []todoKind{todoTracking, todoVisits, todoInspections, todoTrips, todoRect, todoClues, todoIntegrity, todoPatrol, todoApprovals, todoReports}
)

// todoShown is how many lines of a group the home page shows; the rest
// are counted and linked to the kind's list.
const todoShown = 5

// todoLimit is how many to-dos of a kind the stores that page are asked
// for; a group that reaches it says "以上".
const todoLimit = 100

// todo is one thing that waits on the user: what is owed (Owed), about
// what (About: the case and party, the trip's destination and dates…),
// in which court, by when. Every mechanism's to-dos become todos here, and
// only here.
type todo struct {
	Kind    todoKind
	Owed    string
	About   string
	Court   string
	Href    string
	Due     domain.Date // zero: no deadline
	Overdue bool
}

// todoLine is a todo as the page shows it.
type todoLine struct {
	todo
	DueText string
}

// todoGroup is the to-dos of one kind, overdue first, the first todoShown
// of them in Lines.
type todoGroup struct {
	Kind   todoKind
	Lines  []todoLine
	Count  int
	More   int  // lines not shown
	Capped bool // the store was asked for no more than Count
}

// todoList is the home page's to-dos.
type todoList struct {
	Groups []todoGroup
	Total  int
	// Courts: the lines name their court, as the user sees several.
	Courts bool
}

// groupTodos groups ts by kind in todoKinds order, overdue first and then
// by deadline within a group. The lines name their court when any to-do is
// of a court other than own.
func groupTodos(ts []todo, today domain.Date, own string, capped map[todoKind]bool) todoList {
	var l todoList
	for _, t := range ts {
		if t.Court != "" && t.Court != own {
			l.Courts = true
			break
		}
	}
	// Each to-do goes once into its kind's run of one slice (a counting
	// sort): the home page had appended every to-do to a growing slice of
	// its kind, a fifth of its garbage (pprof at 100,000 cases).
	rank := func(k todoKind) int { return slices.Index(todoKinds, k) }
	start := make([]int, len(todoKinds)+1)
	for _, t := range ts {
		if r := rank(t.Kind); r >= 0 {
			start[r+1]++
		}
	}
	for r := range todoKinds {
		start[r+1] += start[r]
	}
	byKind := make([]todo, start[len(todoKinds)])
	next := slices.Clone(start[:len(todoKinds)])
	for _, t := range ts {
		if r := rank(t.Kind); r >= 0 {
			byKind[next[r]] = t
			next[r]++
		}
	}
	for r, k := range todoKinds {
		of := byKind[start[r]:start[r+1]]
		if len(of) == 0 {
			continue
		}
		slices.SortStableFunc(of, func(a, b todo) int {
			if a.Overdue != b.Overdue {
				if a.Overdue {
					return -1
				}
				return 1
			}
			if a.Due.IsZero() != b.Due.IsZero() {
				if b.Due.IsZero() {
					return -1
				}
				return 1
			}
			return a.Due.Time().Compare(b.Due.Time())
		})
		g := todoGroup{Kind: k, Count: len(of), Capped: capped[k], Lines: make([]todoLine, 0, min(len(of), todoShown))}
		for i, t := range of {
			if i == todoShown {
				g.More = len(of) - i
				break
			}
			g.Lines = append(g.Lines, todoLine{todo: t, DueText: dueWords(t.Due, today, t.Overdue)})
		}
		l.Groups = append(l.Groups, g)
		l.Total += len(of)
	}
	return l
}

// dueWords is a deadline as a to-do says it: “3天后到期”, “今天到期”,
// “逾期2天” counted in Beijing dates; “” for none. overdue marks a
// deadline of today whose hour has passed.
func dueWords(due, today domain.Date, overdue bool) string {
	if due.IsZero() {
		return ""
	}
	switch n := today.DaysUntil(due); {
	case n > 0:
		return fmt.Sprintf("%d天后到期", n)
	case n < 0:
		return fmt.Sprintf("逾期%d天", -n)
	case overdue:
		return "今天已到期"
	}
	return "今天到期"
}

// dayOf is the Beijing date of a deadline kept as a time, zero for none.
func dayOf(t time.Time) domain.Date {
	if t.IsZero() {
		return domain.Date{}
	}
	return domain.DateOf(t, domain.Beijing)
}

// tripAbout names a trip: who (for a head's or watchdog's to-do), where to
// and when.
func tripAbout(who, dest string, depart, ret time.Time) string {
	s := who
	if dest != "" {
		s += "赴" + dest
	}
	if !depart.IsZero() {
		d, r := depart.In(domain.Beijing), ret.In(domain.Beijing)
		s += fmt.Sprintf("（%d月%d日", d.Month(), d.Day())
		if !ret.IsZero() && (r.Month() != d.Month() || r.Day() != d.Day()) {
			s += fmt.Sprintf("至%d月%d日", r.Month(), r.Day())
		}
		s += "）"
	}
	return s
}

// todos gathers what waits on the user from every mechanism.
func (s *Server) todos(r *http.Request, rq *request) (todoList, error) {
	ctx, v := r.Context(), rq.viewer
	capped := map[todoKind]bool{}
	vt, err := s.DB.VisitTodos(ctx, v, todoLimit)
	if err != nil {
		return todoList{}, err
	}
	out := make([]todo, 0, len(vt)+32)
	capped[todoVisits] = len(vt) == todoLimit
	now := s.DB.Now()
	for _, t := range vt {
		about := t.CaseNumber
		if t.PartyName != "" {
			about += " " + t.PartyRole.Label() + t.PartyName
		}
		out = append(out, todo{Kind: todoVisits, Owed: visit.StepTodo(t.Step), About: about, Court: t.Court, Href: "/visits/" + strconv.FormatInt(t.VisitID, 10),
			Due: dayOf(t.Due), Overdue: !t.Due.IsZero() && now.After(t.Due)})
	}
	tt, err := s.DB.TripTodos(ctx, v, todoLimit)
	if err != nil {
		return todoList{}, err
	}
	capped[todoTrips] = len(tt) >= todoLimit
	for _, t := range tt {
		var about string
		switch t.Kind {
		case trip.TodoAnnex2:
			about = t.Subject
		case trip.TodoSupplement, trip.TodoReport:
			about = tripAbout("", t.Dest, t.Depart, t.Return)
		default:
			about = tripAbout(t.Subject, t.Dest, t.Depart, t.Return)
		}
		out = append(out, todo{Kind: todoTrips, Owed: trip.TodoOwed(t.Kind, t.Detail), About: about, Court: t.Court, Href: t.Href,
			Due: dayOf(t.Due), Overdue: t.Overdue})
	}
	rt, err := s.DB.RectToDos(ctx, v)
	if err != nil {
		return todoList{}, err
	}
	for _, t := range rt {
		out = append(out, todo{Kind: todoRect, Owed: t.Step, About: t.Title, Court: t.Court, Href: fmt.Sprintf("/rectifications/%d", t.RectID),
			Due: t.Deadline, Overdue: t.Overdue})
	}
	kt, err := s.DB.TrackingTodos(ctx, v)
	if err != nil {
		return todoList{}, err
	}
	for _, t := range kt {
		out = append(out, todo{Kind: todoTracking, Owed: t.Owed, About: t.CaseNo, Court: t.Court, Href: fmt.Sprintf("/tracking/%d", t.TrackingID),
			Due: t.Due, Overdue: t.Overdue})
	}
	wt, err := s.DB.TrackingWorkTodos(ctx, v)
	if err != nil {
		return todoList{}, err
	}
	for _, t := range wt {
		out = append(out, todo{Kind: todoTracking, Owed: t.Owed, About: t.CaseNo, Court: t.Court, Href: fmt.Sprintf("/tracking/%d/work", t.TrackingID),
			Due: t.Due, Overdue: t.Overdue})
	}
	it, err := s.DB.InspectionTodos(ctx, v)
	if err != nil {
		return todoList{}, err
	}
	today := s.today()
	for _, t := range it {
		out = append(out, todo{Kind: todoInspections, Owed: t.Owed, About: t.About, Href: t.Href, Due: t.Due, Overdue: !t.Due.IsZero() && t.Due.Before(today)})
	}
	ct, err := s.DB.ClueTodos(ctx, v, todoLimit)
	if err != nil {
		return todoList{}, err
	}
	capped[todoClues] = len(ct) == todoLimit
	for _, t := range ct {
		owed := map[oversight.ClueState]string{oversight.ClueOpen: "核查问题线索", oversight.ClueVerifying: "办结问题线索"}[t.State]
		out = append(out, todo{Kind: todoClues, Owed: owed, About: fmt.Sprintf("第%d号：%s", t.ID, cut(t.Summary, 40)), Court: t.Court,
			Href: fmt.Sprintf("/clues/%d", t.ID), Due: t.DueOn, Overdue: t.Overdue})
	}
	gt, err := s.DB.IntegrityTodos(ctx, v, todoLimit)
	if err != nil {
		return todoList{}, err
	}
	capped[todoIntegrity] = len(gt) == todoLimit
	for _, t := range gt {
		out = append(out, todo{Kind: todoIntegrity, Owed: "研判廉政预警，决定是否预警约谈", About: t.Person + "：" + t.Rule.Title(), Court: t.Court,
			Href: integrity.Href(integrity.RecWarning, t.ID, t.UserID)})
	}
	if n, err := s.DB.OpenFindings(ctx, v, todoLimit); err != nil {
		return todoList{}, err
	} else if n > 0 {
		out = append(out, todo{Kind: todoPatrol, Owed: "核实网上巡查发现的问题", About: findingsAbout(n), Href: "/patrol?state=open"})
	}
	reps, err := s.DB.RunReportTodos(ctx, v, s.runReportDue())
	if err != nil {
		return todoList{}, err
	}
	for _, t := range reps {
		out = append(out, runReportTodo(t))
	}
	grants, err := s.DB.PendingGrantsFor(ctx, v)
	if err != nil {
		return todoList{}, err
	}
	for _, g := range grants {
		out = append(out, todo{Kind: todoApprovals, Owed: "审批角色授予", About: g.Name + " " + g.Role.Label(), Href: "/admin/grants"})
	}
	if v.CanGrantRoles() {
		reqs, err := s.DB.AccountRequests(ctx, v, true, 0)
		if err != nil {
			return todoList{}, err
		}
		for _, q := range reqs {
			if q.RequestedBy != rq.user.ID && q.UserID != rq.user.ID {
				out = append(out, todo{Kind: todoApprovals, Owed: "审批" + domain.ResetKindLabels[q.Kind], About: q.Name, Href: "/admin/grants"})
			}
		}
	}
	return groupTodos(out, today, rq.user.CourtName, capped), nil
}

// findingsAbout says how many open findings wait, counted up to
// todoLimit+1: past todoLimit the page says “100项以上”.
func findingsAbout(n int) string {
	if n > todoLimit {
		return fmt.Sprintf("%d项以上待核实", todoLimit)
	}
	return fmt.Sprintf("%d项待核实", n)
}

// cut shortens s to n characters, marking the cut.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// todoRowsHTML writes a to-do group's rows, every text escaped: through
// the template's actions each line's promoted fields were looked up by
// reflection (todoLine embeds todo) and each cell escaped by a reflective
// call, a fifth of the home page's CPU (pprof at 100,000 cases).
func todoRowsHTML(lines []todoLine, courts bool) template.HTML {
	var b strings.Builder
	b.Grow(len(lines) * 400)
	for _, l := range lines {
		if l.Overdue {
			b.WriteString(`<tr class="todo row-warn"><td>`)
		} else {
			b.WriteString(`<tr class="todo"><td>`)
		}
		if l.Href != "" {
			b.WriteString(`<a href="` + hrefAttr(l.Href) + `">` + escapeHTML(l.Owed) + "</a>")
		} else {
			b.WriteString(escapeHTML(l.Owed))
		}
		b.WriteString(`</td><td class="todo-about">` + escapeHTML(l.About) + "</td>")
		if courts {
			b.WriteString("<td>" + escapeHTML(l.Court) + "</td>")
		}
		if l.DueText != "" {
			b.WriteString(`<td class="col-date"><span title="` + escapeHTML(l.Due.String()) + `">` + escapeHTML(l.DueText) + "</span></td>")
		} else {
			b.WriteString(`<td class="col-date"><span class="muted">—</span></td>`)
		}
		if l.Overdue {
			b.WriteString(`<td class="col-status"><span class="badge badge-danger">已逾期</span></td></tr>` + "\n")
		} else {
			b.WriteString(`<td class="col-status"><span class="badge badge-info">待办理</span></td></tr>` + "\n")
		}
	}
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}
