package synth

import "github.com/zhilian/zhilian/internal/domain"

var (
	seizureNotes = []string{"冻结银行存款", "查封不动产", "扣押车辆", "冻结股权", "冻结微信、支付宝账户"}
	auctionNotes = []string{"网络司法拍卖", "网络司法拍卖", "网络司法拍卖", "变卖"}
)

// nodes lays out the process nodes of a case filed on day filed, in the
// order of domain.NodeKinds, from filing to end (the closing day, or
// today for an open case). A node that would fall after a closing is left
// out, except that notice and investigation, which every case that ends
// in payment or 终结本次执行程序 goes through, are brought forward to it.
// Nodes still ahead of an open case are left out. The nodes are
// appended to out, which has room for all of them.
func (g *Generator) nodes(k kind, filed, end int, c *domain.Case, out []domain.Node) []domain.Node {
	r := g.rng
	closed := c.Closed()
	out = appendNode(out, domain.NodeFiling, c.FiledOn, "")
	last := filed
	// add appends the node on day d unless it falls after end, in which
	// case it reports false; force brings it forward to a closing day.
	add := func(kind domain.NodeKind, d int, note string, force bool) bool {
		d = max(d, last)
		if d > end {
			if !force || !closed {
				return false
			}
			d = end
		}
		last = d
		out = appendNode(out, kind, g.cal.days[d], note)
		return true
	}

	switch k {
	case kindPreservation:
		add(domain.NodeSeizure, filed+between(r, 0, 5), seizureNotes[r.IntN(len(seizureNotes))], true)
	case kindEnforce:
		thorough := c.ClosingMode == modeDone || c.ClosingMode == modeSuspended || c.ClosingMode == modeTerminated
		notice := filed + between(r, 1, 5)
		switch x := r.Float64(); {
		case x < 0.03:
			notice = filed + between(r, 21, 60)
		case x < 0.15:
			notice = filed + between(r, 6, 20)
		}
		if !add(domain.NodeNotice, notice, "", thorough) {
			break
		}
		if !add(domain.NodeInvestigation, filed+between(r, 2, 30), "", thorough) {
			break
		}
		if !c.HasProperty || r.Float64() >= 0.75 ||
			!add(domain.NodeSeizure, last+between(r, 3, 60), seizureNotes[r.IntN(len(seizureNotes))], false) {
			break
		}
		if r.Float64() >= 0.35 || !add(domain.NodeAppraisal, last+between(r, 15, 90), "", false) {
			break
		}
		if r.Float64() < 0.75 {
			add(domain.NodeAuction, last+between(r, 20, 120), auctionNotes[r.IntN(len(auctionNotes))], false)
		}
	}
	if closed && c.ClosingMode == modeDone && k != kindPreservation && k != kindObjection {
		add(domain.NodePayout, max(last, end-between(r, 0, 10)), "", true)
	}
	if closed {
		out = appendNode(out, domain.NodeClosing, c.ClosedOn, "")
	}
	return out
}

// appendNode sets the next node of out in place, field by field, which
// costs fewer write barriers than copying a Node literal into the heap;
// out has room for it.
func appendNode(out []domain.Node, kind domain.NodeKind, on domain.Date, note string) []domain.Node {
	out = out[:len(out)+1]
	n := &out[len(out)-1]
	n.Kind, n.On = kind, on
	if note != "" {
		n.Note = note
	}
	return out
}
