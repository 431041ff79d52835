package web

import (
	"net/http"
	"strings"

	"github.com/zhilian/zhilian/internal/overview"
)

// drill is what a register's list is narrowed to when the cockpit's
// figure drills down to it: ?court=CODE (that court and those below)
// and ?period= (the figure's period), with the words that say so above
// the list.
type drill struct {
	CourtPath string          // "" for every court in scope
	Period    overview.Period // zero for no period
	Narrowed  []string
}

// readDrill reads ?court= and ?period= from r; what names the period's
// event on this list ("登记", "出发的外出执行" …).
func (s *Server) readDrill(r *http.Request, what string) (drill, error) {
	var d drill
	q := r.URL.Query()
	if code := strings.TrimSpace(q.Get("court")); code != "" {
		c, err := s.DB.CourtByCode(r.Context(), code)
		if err != nil {
			return d, err
		}
		d.CourtPath = c.Path
		d.Narrowed = append(d.Narrowed, c.Name+"及辖区法院")
	}
	if period := strings.TrimSpace(q.Get("period")); period != "" {
		p, err := overview.ParsePeriod(period, s.today())
		if err != nil {
			return d, err
		}
		d.Period = p
		d.Narrowed = append(d.Narrowed, p.Label()+what)
	}
	return d, nil
}
