package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

// jsonSourceHash is sourceHash as it was first written, with
// encoding/json: the stored fingerprints are its output.
func jsonSourceHash(c *domain.Case) string {
	type party struct {
		Role  domain.PartyRole
		Org   bool
		Name  string
		Phone string
	}
	type node struct {
		Kind domain.NodeKind
		On   string
		Note string
	}
	v := struct {
		Number, Filed, Officer, Dept       string
		Amount                             int64
		HasProperty, PropertyKnown, NonLit bool
		Closed, Mode                       string
		Petition                           bool
		SupBy, SupSince                    string
		Opinion, Impact                    bool
		Parties                            []party
		Nodes                              []node
	}{c.Number, c.FiledOn.String(), c.Officer, c.Department, c.Amount, c.HasProperty, c.PropertyKnown, c.NonLitigation,
		c.ClosedOn.String(), c.ClosingMode, c.Petition, c.SupervisedBy, c.SupervisedSince.String(), c.PublicOpinion, c.SocialImpact, nil, nil}
	for _, p := range c.Parties {
		v.Parties = append(v.Parties, party{p.Role, p.Org, p.Name, p.Phone})
	}
	for _, n := range c.Nodes {
		v.Nodes = append(v.Nodes, node{n.Kind, n.On.String(), n.Note})
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// hashStrings are texts encoding/json writes unchanged or escapes: its
// HTML escapes, control characters, quotes, U+2028/2029, invalid UTF-8.
var hashStrings = []string{
	"", "张伟", "执行一庭", "（2024）鲁0102执1234号", "13812345678", "a\"b", `back\slash`, "<script>", "A&B",
	"x>y", "\x00", "\x01\x1f", "\n\r\t", "\b\f", "\x7f", "line\u2028sep", "para\u2029", "\xff\xfe", "bad\xe4\xb8",
	"😀 emoji", "ＡＢＣ全角", "tab\there", "'single'", "/slash/", "\u00e9\u0301", "\ufffd", "中<文>&\"\\混合\x1b",
}

func randomHashCase(r *rand.Rand) *domain.Case {
	str := func() string {
		if r.IntN(3) == 0 {
			return hashStrings[r.IntN(len(hashStrings))] + hashStrings[r.IntN(len(hashStrings))]
		}
		return hashStrings[r.IntN(len(hashStrings))]
	}
	date := func() domain.Date {
		if r.IntN(4) == 0 {
			return domain.Date{}
		}
		return domain.NewDate(1990+r.IntN(40), 1, 1+r.IntN(3650))
	}
	c := &domain.Case{
		Number: str(), FiledOn: date(), Officer: str(), Department: str(),
		Amount:      []int64{0, 1, -5, 123456789, 1 << 62, -1 << 63}[r.IntN(6)] + r.Int64N(1000),
		HasProperty: r.IntN(2) == 0, PropertyKnown: r.IntN(2) == 0, NonLitigation: r.IntN(2) == 0,
		ClosedOn: date(), ClosingMode: str(), Petition: r.IntN(2) == 0,
		SupervisedBy: str(), SupervisedSince: date(), PublicOpinion: r.IntN(2) == 0, SocialImpact: r.IntN(2) == 0,
		// Fields outside the fingerprint, which must not change it.
		SupervisedDoc: str(), DueOn: date(), OfficerID: r.Int64(),
	}
	switch n := r.IntN(5); {
	case n == 0:
		c.Parties = []domain.Party{} // empty, not nil: null all the same
	case n > 1:
		for range n - 1 {
			c.Parties = append(c.Parties, domain.Party{Role: domain.PartyRole(str()), Org: r.IntN(2) == 0, Name: str(), Phone: str(), PhoneMasked: str()})
		}
	}
	switch n := r.IntN(5); {
	case n == 0:
		c.Nodes = []domain.Node{}
	case n > 1:
		for range n - 1 {
			c.Nodes = append(c.Nodes, domain.Node{Kind: domain.NodeKind(str()), On: date(), Note: str()})
		}
	}
	return c
}

// TestSourceHashIsJSON: the fingerprint written without reflection is the
// one encoding/json gave, on cases with every kind of text, so that a
// re-import of an existing database still finds its cases unchanged.
func TestSourceHashIsJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 2026))
	for i := range 20000 {
		c := randomHashCase(r)
		if got, want := sourceHash(c), jsonSourceHash(c); got != want {
			b, _ := json.Marshal(c)
			t.Fatalf("case %d: sourceHash = %s, encoding/json gives %s; case %s", i, got, want, b)
		}
	}
}

// TestSourceHashPinned: one case's stored fingerprint, as computed before
// the hash was written by hand, so that neither form can drift.
func TestSourceHashPinned(t *testing.T) {
	c := &domain.Case{
		Number: "（2024）鲁0102执1234号", FiledOn: domain.MustDate("2024-03-05"), Officer: "张伟", Department: "执行一庭",
		Amount: 1234567, HasProperty: true, PropertyKnown: true, ClosingMode: "执行完毕", ClosedOn: domain.MustDate("2024-09-30"),
		SupervisedBy: "鲁01", SupervisedSince: domain.MustDate("2024-05-01"),
		Parties: []domain.Party{
			{Role: domain.PartyRole("申请执行人"), Name: "A&B <公司>", Org: true},
			{Role: domain.PartyRole("被执行人"), Name: "李\"强\"", Phone: "13812345678"},
		},
		Nodes: []domain.Node{{Kind: domain.NodeKind("财产查控"), On: domain.MustDate("2024-03-08"), Note: "网络查控\n已完成"}},
	}
	const want = "0fa91535cd3ce6041c5d59d6b0ebab100efdc7c06ed1ca9c28668ba0f6a03e0a"
	if got := sourceHash(c); got != want {
		t.Errorf("sourceHash = %s, want %s (encoding/json: %s)", got, want, jsonSourceHash(c))
	}
}

func BenchmarkSourceHash(b *testing.B) {
	c := &domain.Case{
		Number: "（2024）鲁0102执1234号", FiledOn: domain.MustDate("2024-03-05"), Officer: "张伟", Department: "执行一庭",
		Amount: 1234567, HasProperty: true, PropertyKnown: true, ClosingMode: "执行完毕", ClosedOn: domain.MustDate("2024-09-30"),
	}
	c.Parties = []domain.Party{{Role: "申请执行人", Name: "济南某某小额贷款有限公司", Org: true}, {Role: "被执行人", Name: "李强", Phone: "13812345678"}}
	c.Nodes = []domain.Node{{Kind: "财产查控", On: domain.MustDate("2024-03-08")}, {Kind: "约谈", On: domain.MustDate("2024-04-08")}}
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			sourceHash(c)
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			jsonSourceHash(c)
		}
	})
}
