package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
)

// InspectionReport is a campaign's 通报: the figures per court and their
// ranking, the typical problems, and the rectification list.
type InspectionReport struct {
	In       *Inspection
	Total    int // the checklist's points
	Courts   []CourtFigures
	Problems []ProblemGroup
	Rectify  []RectLine
	Targets  int
	Reviewed int
	Kept     int
	// Funds is the money pre-check of a 执行案款管理情况 campaign; nil for
	// other themes.
	Funds *FundsCheck
}

// CourtFigures are one court's figures in a 通报.
type CourtFigures struct {
	Rank      int
	CourtCode string
	CourtName string
	Targets   int
	Reviewed  int
	Average   float64 // the average score in per cent of the total; 0 when none reviewed
	Grades    map[inspection.Grade]int
	Findings  int // kept
	Serious   int // kept and 严重
	Items     int // rectification items
	Closed    int // of which accepted
	// FundsHeld and FundsAmount (fen) are the receipts held past their
	// limit the money pre-check found at the court.
	FundsHeld   int
	FundsAmount int64
}

// ProblemGroup is a category of the kept findings with its examples.
type ProblemGroup struct {
	Category string
	Count    int
	Examples []string // up to three
}

// RectLine is one kept finding on the rectification list.
type RectLine struct {
	FindingID int64
	CourtName string
	Unit      string
	Text      string
	RectID    int64
	Deadline  domain.Date
	State     string // 未交办, or the items' state
}

// InspectionReport gathers campaign id's 通报 for whoever sees the whole
// campaign (the group, the organising court's three bodies and above).
func (db *DB) InspectionReport(ctx context.Context, v domain.Viewer, id int64) (*InspectionReport, error) {
	in, err := inspectionRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	if !in.Full {
		return nil, domain.Errorf(domain.ErrForbidden, "通报只供工作组和组织法院及上级法院的执行局、纪检监察组、监察室查看。")
	}
	rep := &InspectionReport{In: in}
	if in.ChecklistID != 0 {
		cl, err := checklistByID(ctx, db, in.ChecklistID)
		if err != nil {
			return nil, err
		}
		rep.Total = cl.Total()
	}
	targets, err := db.InspectionTargets(ctx, v, id)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*CourtFigures{}
	fig := func(code, name string) *CourtFigures {
		if c := byCode[code]; c != nil {
			return c
		}
		c := &CourtFigures{CourtCode: code, CourtName: name, Grades: map[inspection.Grade]int{}}
		byCode[code] = c
		return c
	}
	for _, s := range in.Scope {
		fig(s.CourtCode, s.CourtName)
	}
	sums := map[string]int{}
	for _, t := range targets {
		c := fig(t.CourtCode, t.CourtName)
		c.Targets++
		rep.Targets++
		if t.State != inspection.TargetOpen {
			c.Reviewed++
			rep.Reviewed++
			c.Grades[t.Grade]++
			sums[t.CourtCode] += t.Score
		}
	}
	for code, c := range byCode {
		if c.Reviewed > 0 && rep.Total > 0 {
			c.Average = float64(sums[code]) * 100 / float64(c.Reviewed*rep.Total)
		}
	}
	findings, err := findingsOf(ctx, db, db.today(), v, in, "f.state = 'kept'")
	if err != nil {
		return nil, err
	}
	groups := map[string]*ProblemGroup{}
	for _, f := range findings {
		rep.Kept++
		c := fig(f.CourtCode, f.CourtName)
		c.Findings++
		if f.Severity == inspection.SeveritySerious {
			c.Serious++
		}
		g := groups[f.Category]
		if g == nil {
			g = &ProblemGroup{Category: f.Category}
			groups[f.Category] = g
		}
		g.Count++
		if len(g.Examples) < 3 {
			g.Examples = append(g.Examples, f.CourtName+"："+f.Text)
		}
		line := RectLine{FindingID: f.ID, CourtName: f.CourtName, Unit: f.CourtName + f.Department, Text: f.Text, RectID: f.RectID, State: "未交办整改"}
		if f.RectID != 0 {
			r, err := rectRow(ctx, db, domain.SystemViewer("inspection report"), f.RectID)
			if err != nil {
				return nil, err
			}
			line.Deadline, line.State = r.Deadline, "待分解整改事项"
			today := db.today()
			for _, it := range r.Items {
				c.Items++
				if it.State == oversight.StateClosed {
					c.Closed++
				}
				line.State = it.Shown(today).Label()
			}
		}
		// A finding referred as a clue is no rectification; the 通报 does
		// not say so, since clues are the watchdogs' alone.
		if f.RectID != 0 || !f.referred {
			rep.Rectify = append(rep.Rectify, line)
		}
	}
	if rep.Funds, err = fundsCheck(ctx, db, in, db.today(), db.PatrolRules.FundsPayoutDays()); err != nil {
		return nil, err
	}
	if rep.Funds != nil {
		for _, cf := range rep.Funds.Courts {
			c := fig(cf.CourtCode, cf.CourtName)
			c.FundsHeld += len(cf.Lines)
			c.FundsAmount += cf.Amount
		}
	}
	for _, c := range byCode {
		rep.Courts = append(rep.Courts, *c)
	}
	// Ranked by the average score, then by fewer kept findings; courts
	// with nothing reviewed last.
	slices.SortFunc(rep.Courts, func(a, b CourtFigures) int {
		switch {
		case (a.Reviewed == 0) != (b.Reviewed == 0):
			if a.Reviewed == 0 {
				return 1
			}
			return -1
		case a.Average != b.Average:
			if a.Average > b.Average {
				return -1
			}
			return 1
		case a.Findings != b.Findings:
			return a.Findings - b.Findings
		}
		return 0
	})
	for i := range rep.Courts {
		rep.Courts[i].Rank = i + 1
	}
	for _, g := range groups {
		rep.Problems = append(rep.Problems, *g)
	}
	slices.SortFunc(rep.Problems, func(a, b ProblemGroup) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return slices.Index(inspection.Categories, a.Category) - slices.Index(inspection.Categories, b.Category)
	})
	return rep, nil
}

// AverageText is the average as a 通报 prints it.
func (c CourtFigures) AverageText() string {
	if c.Reviewed == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f", c.Average)
}

// FundsText is the court's money held past its limit as a 通报 prints it.
func (c CourtFigures) FundsText() string {
	if c.FundsHeld == 0 {
		return "无"
	}
	return fmt.Sprintf("%d笔，%s", c.FundsHeld, YuanText(c.FundsAmount))
}
