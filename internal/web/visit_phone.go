package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// phoneCard is what the one making a phone visit needs on the visit page:
// whom to call (name, role, masked number; the full number after an
// audited reveal, with a tel: link), the case, and what the party has
// answered in this visit so far.
type phoneCard struct {
	VisitID            int64
	Name, Role         string
	Masked, Revealed   string
	CaseID             int64
	CaseNumber         string
	CanReveal, NoPhone bool
	Answers            []phoneAnswer
}

type phoneAnswer struct {
	At, Stage, Actor, Satisfied, Text string
	Items                             string
}

type revealedKey struct{}

// visitPhoneCard builds the card for visit vi, nil for a visit without a
// party. The number comes masked from the case the viewer may read
// (store.DB.CaseByID); a viewer who may not read the case gets no card.
func (s *Server) visitPhoneCard(r *http.Request, rq *request, vi *store.Visit) (*phoneCard, error) {
	if vi.PartyID == 0 {
		return nil, nil
	}
	c := &phoneCard{VisitID: vi.ID, Name: vi.PartyName, Role: domain.PartyRole(vi.PartyRole).Label(), CaseID: vi.CaseID, CaseNumber: vi.CaseNumber,
		CanReveal: rq.viewer.CanRevealPhones()}
	k, err := s.DB.CaseByID(r.Context(), rq.viewer, vi.CaseID)
	if err != nil {
		return nil, fmt.Errorf("loading the visit's case: %w", err)
	}
	for _, p := range k.Parties {
		if p.ID == vi.PartyID {
			c.Masked = p.PhoneMasked
		}
	}
	c.NoPhone = c.Masked == ""
	if phone, ok := r.Context().Value(revealedKey{}).(string); ok {
		c.Revealed = phone
	}
	answers, err := s.DB.VisitAnswers(r.Context(), rq.viewer, vi.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range answers {
		pa := phoneAnswer{At: formatTime(a.At), Stage: stageLabels[a.Source], Actor: a.Actor, Text: a.Answers.Text, Items: strings.Join(a.Answers.Items, "、")}
		if a.Answers.Satisfied != nil {
			pa.Satisfied = map[bool]string{true: "满意", false: "不满意"}[*a.Answers.Satisfied]
		}
		c.Answers = append(c.Answers, pa)
	}
	return c, nil
}

// visitRevealPhone shows the visit page with the party's full number,
// through the same store call and audit record as the case page's reveal.
func (s *Server) visitRevealPhone(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vi, _, err := s.DB.VisitByID(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if vi.PartyID == 0 {
		s.fail(w, r, domain.Errorf(domain.ErrNotFound, "该回访没有对应的当事人。"))
		return
	}
	phone, err := s.DB.RevealPhone(r.Context(), rq.viewer, vi.PartyID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderVisit(w, r.WithContext(context.WithValue(r.Context(), revealedKey{}, phone)), rq, http.StatusOK, nil, "")
}
