package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// limiter allows each client address a burst of requests and then a
// steady rate: the party's page needs no login, so it is rate-limited.
type limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	clients map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute, burst int) *limiter {
	return &limiter{rate: float64(perMinute) / 60, burst: float64(burst), clients: map[string]*bucket{}}
}

func (l *limiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(addr, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// bucket returns addr's bucket, refilled to now; l.mu is held.
func (l *limiter) bucket(addr string, now time.Time) *bucket {
	if len(l.clients) > 100_000 { // forget everyone rather than grow without bound
		l.clients = map[string]*bucket{}
	}
	b, ok := l.clients[addr]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.clients[addr] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	return b
}

// refund gives back a token allow took, up to the burst.
func (l *limiter) refund(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(addr, now)
	b.tokens = min(l.burst, b.tokens+1)
}

// clientKey is the throttles' unit: an IPv4 address, or the /64 of an
// IPv6 one (a host gets a whole /64 and could change address at will).
func clientKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil || ip.Is4() || ip.Is4In6() {
		return addr
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// linkPage wraps the party's pages: rate-limited per address, never cached.
func (s *Server) linkPage(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.linkLimiter.allow(clientKey(s.RemoteAddr(r)), time.Now()) {
			w.Header().Set("Retry-After", "60")
			s.render(w, r, http.StatusTooManyRequests, "visit_link_done", &page{Title: "回访", Data: struct{ Message string }{"请求过于频繁，请稍后再试。"}})
			return
		}
		h(w, r)
	})
}

type linkData struct {
	Court, CaseNumber, Action, Error string
	Form                             answersForm
}

func (s *Server) linkShow(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	lv, err := s.DB.VisitByLink(r.Context(), token)
	if err != nil {
		s.linkGone(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "visit_link", &page{Title: "回访", Data: linkData{Court: lv.CourtName, CaseNumber: lv.CaseNumber, Action: "/v/" + token, Form: newAnswersForm(nil)}})
}

func (s *Server) linkAnswer(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := parseForm(w, r); err != nil {
		s.linkGone(w, r, err)
		return
	}
	a := answersFromForm(r)
	err := s.DB.AnswerByLink(r.Context(), token, s.RemoteAddr(r), *a, s.VisitConfig)
	if err != nil {
		if errors.Is(err, domain.ErrInvalid) {
			lv, lerr := s.DB.VisitByLink(r.Context(), token)
			if lerr != nil {
				s.linkGone(w, r, lerr)
				return
			}
			f := newAnswersForm(a)
			f.Errors = fieldErrors(err)
			s.render(w, r, http.StatusUnprocessableEntity, "visit_link", &page{Title: "回访", Data: linkData{Court: lv.CourtName, CaseNumber: lv.CaseNumber,
				Action: "/v/" + token, Error: domain.UserMessage(err), Form: f}})
			return
		}
		s.linkGone(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "visit_link_done", &page{Title: "回访", Data: struct{ Message string }{"感谢您的反馈。您的回答已提交，法院将认真核查处理。"}})
}

// linkGone says the same for an unknown, used or expired link, so that a
// guesser learns nothing.
func (s *Server) linkGone(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusNotFound
	if !errors.Is(err, domain.ErrNotFound) {
		s.Log.Error("party link", "err", err)
		status = http.StatusInternalServerError
	}
	s.render(w, r, status, "visit_link_done", &page{Title: "回访", Data: struct{ Message string }{"该链接已使用或已过期。如需反映情况，请拨打12368。"}})
}

type printData struct {
	Court, CaseNumber, Party, Phone, Back string
	// Stages are the sheets of 附件3: one per answers record, oldest first
	// — the SMS reply, the categories, the link, the phone visit, the
	// on-site visit — each with who recorded it and when. A 不满意 stays
	// on its sheet whatever a later reply says.
	Stages []printStage
	Blank  bool
	// What followed the answers: the consultation and the on-site visit's
	// measures and suggestions, and how the visit ended.
	Consultation          *consultView
	Measures, Suggestions string
	Outcome               string
}

// printStage is one sheet of 附件3.
type printStage struct {
	Title, Recorder, Year, Month, Day string
	Form                              answersForm
}

var stageLabels = map[string]string{"sms": "短信回复", "link": "回访链接答复", "phone": "电话回访", "onsite": "实地回访"}

// visitPrint shows 附件3 filled in from every stage of the visit.
func (s *Server) visitPrint(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vi, evs, err := s.DB.VisitByID(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	answers, err := s.DB.VisitAnswers(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := printData{Court: vi.CourtName, CaseNumber: vi.CaseNumber, Party: vi.PartyName, Back: "/visits/" + strconv.FormatInt(id, 10),
		Consultation: consultationOf(evs)}
	if vi.State.Step == visit.StepClosed {
		d.Outcome = vi.State.Outcome.Label()
	}
	if k, err := s.DB.CaseByID(r.Context(), domain.SystemViewer("print"), vi.CaseID); err == nil {
		for _, p := range k.Parties {
			if p.ID == vi.PartyID {
				d.Phone = p.PhoneMasked
			}
		}
	}
	for i, a := range answers {
		st := printStage{Title: fmt.Sprintf("第%d次 %s", i+1, stageLabels[a.Source]), Recorder: a.Actor, Form: newAnswersForm(&a.Answers)}
		if a.Source == "sms" || a.Source == "link" {
			st.Recorder = "当事人自行答复（系统记录）"
		}
		if a.Source == "sms" && len(a.Answers.Categories) > 0 {
			st.Title += "（不满意事项）"
		}
		st.Year, st.Month, st.Day = dateParts(a.At)
		d.Stages = append(d.Stages, st)
	}
	for _, e := range evs {
		switch e.Kind {
		case visit.EventReplyWindowExpired:
			if len(answers) == 0 || answers[0].At.After(e.At) {
				st := printStage{Title: "短信回访", Recorder: e.Actor, Form: newAnswersForm(nil)}
				st.Form.Satisfied = "noreply"
				st.Year, st.Month, st.Day = dateParts(e.At)
				d.Stages = append([]printStage{st}, d.Stages...)
			}
		case visit.EventOnsiteRecorded:
			d.Measures, _ = e.Detail["measures"].(string)
			d.Suggestions, _ = e.Detail["suggestions"].(string)
		}
	}
	if len(d.Stages) == 0 {
		d.Stages = []printStage{{Title: "尚无回访答复", Form: newAnswersForm(nil)}}
	}
	s.render(w, r, http.StatusOK, "visit_print", &page{Title: "附件3", Data: d})
}

// dateParts splits an instant's Beijing date for the form's 年月日.
func dateParts(t time.Time) (y, m, d string) {
	b := t.In(domain.Beijing)
	return strconv.Itoa(b.Year()), strconv.Itoa(int(b.Month())), strconv.Itoa(b.Day())
}

// blankAnnex3 prints the empty 附件3 form.
func (s *Server) blankAnnex3(w http.ResponseWriter, r *http.Request, rq *request) {
	s.render(w, r, http.StatusOK, "visit_print", &page{Title: "附件3", Data: printData{Court: rq.user.CourtName, Blank: true, Back: "/visits",
		Stages: []printStage{{Form: newAnswersForm(nil)}}}})
}
