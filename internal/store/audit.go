package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/audit"
	"github.com/zhilian/zhilian/internal/domain"
)

// Entry is what a caller says about a change for the audit trail; the
// actor, time and address come from the transaction's viewer.
type Entry struct {
	Action     string
	ObjectType string
	ObjectID   string
	// CourtPath is the court the record concerns, which decides which
	// watchdogs may read it; empty means the actor's court.
	CourtPath string
	Success   bool
	Detail    string
}

// Audit appends a record to the trail inside tx: if it fails, the change it
// records fails with it. Records are chained through audit_head, whose row
// lock serialises writers across processes on PostgreSQL.
func (tx *Tx) Audit(ctx context.Context, e Entry) error {
	if err := tx.Ordered(); err != nil {
		return err
	}
	v := tx.v
	if len(tx.db.AuditKey) == 0 {
		return errors.New("writing audit record: no audit key (the master key is not loaded)")
	}
	var prevSeq int64
	var prevHash string
	err := tx.queryRow(ctx, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq - 1, hash").Scan(&prevSeq, &prevHash)
	if err != nil {
		return fmt.Errorf("advancing audit head: %w", translate(err))
	}
	r := &audit.Record{
		At: tx.db.now(), ActorID: v.UserID, Actor: actorName(v), Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, CourtPath: e.CourtPath,
		RemoteAddr: v.RemoteAddr, Success: e.Success, Detail: e.Detail, Alg: audit.Keyed(tx.db.AuditAlg),
	}
	if r.CourtPath == "" {
		r.CourtPath = v.CourtPath
	}
	if err := audit.Seal(r, prevSeq, prevHash, tx.db.AuditKey); err != nil {
		return fmt.Errorf("sealing audit record: %w", err)
	}
	_, err = tx.exec(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor, action, object_type, object_id, court_path, remote_addr, success, detail, alg, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Seq, r.At, nullID(r.ActorID), r.Actor, r.Action, r.ObjectType, r.ObjectID, r.CourtPath, r.RemoteAddr, r.Success, r.Detail, r.Alg, r.PrevHash, r.Hash)
	if err != nil {
		return fmt.Errorf("writing audit record: %w", err)
	}
	if _, err := tx.exec(ctx, "UPDATE audit_head SET hash = ?, mac = ? WHERE id = 1", r.Hash, audit.HeadMAC(tx.db.AuditKey, r.Seq, r.Hash)); err != nil {
		return fmt.Errorf("advancing audit head: %w", err)
	}
	return nil
}

// AuditAlone writes one record in a transaction of its own: for events that
// change nothing else, such as a failed login or a view of a phone number.
func (db *DB) AuditAlone(ctx context.Context, v domain.Viewer, e Entry) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.Audit(ctx, e) })
}

func actorName(v domain.Viewer) string {
	if v.Username == "" {
		return v.Name
	}
	if v.Name == "" || v.Name == v.Username {
		return v.Username
	}
	return v.Name + "（" + v.Username + "）"
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const auditColumns = "seq, at, actor_id, actor, action, object_type, object_id, court_path, remote_addr, success, detail, alg, prev_hash, hash"

func scanAudit(row scanner) (*audit.Record, error) {
	var r audit.Record
	var actorID sql.NullInt64
	if err := row.Scan(&r.Seq, &r.At, &actorID, &r.Actor, &r.Action, &r.ObjectType, &r.ObjectID, &r.CourtPath,
		&r.RemoteAddr, &r.Success, &r.Detail, &r.Alg, &r.PrevHash, &r.Hash); err != nil {
		return nil, fmt.Errorf("reading audit record: %w", err)
	}
	r.At = r.At.UTC()
	r.ActorID = actorID.Int64
	return &r, nil
}

// VerifyResult is the outcome of checking the whole chain.
type VerifyResult struct {
	OK      bool
	Checked int64
	// BadSeq is the first record that breaks the chain, and Reason says how.
	BadSeq int64
	Reason string
}

// VerifyAudit recomputes the whole chain under the audit key. It reads
// outside any write transaction, streaming the records in order; it reads
// the head first so that records appended while it runs do not count as
// tampering.
func (db *DB) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	if len(db.AuditKey) == 0 {
		return VerifyResult{}, errors.New("verifying audit trail: no audit key (the master key is not loaded)")
	}
	return db.verifyAudit(ctx, db, audit.Verifier{Key: db.AuditKey})
}

func (db *DB) verifyAudit(ctx context.Context, q querier, v audit.Verifier) (VerifyResult, error) {
	type head struct {
		seq       int64
		hash, mac string
	}
	heads, err := collect(ctx, q, func(row scanner) (h head, err error) {
		err = row.Scan(&h.seq, &h.hash, &h.mac)
		return h, translate(err)
	}, "SELECT seq, hash, mac FROM audit_head WHERE id = 1")
	if err != nil {
		return VerifyResult{}, fmt.Errorf("reading audit head: %w", err)
	}
	if len(heads) == 0 {
		return VerifyResult{}, fmt.Errorf("reading audit head: %w", translate(sql.ErrNoRows))
	}
	headSeq, headHash, headMAC := heads[0].seq, heads[0].hash, heads[0].mac
	// The trail is streamed, not collected: it may be long. The verifier
	// stops at the first broken record.
	errBroken := errors.New("chain broken")
	err = each(ctx, q, func(row scanner) error {
		r, err := scanAudit(row)
		if err != nil {
			return err
		}
		if !v.Add(r) {
			return errBroken
		}
		return nil
	}, "SELECT "+auditColumns+" FROM audit_log WHERE seq <= ? ORDER BY seq", headSeq)
	if err != nil && !errors.Is(err, errBroken) {
		return VerifyResult{}, fmt.Errorf("reading audit trail: %w", err)
	}
	v.Finish(headSeq, headHash, headMAC)
	res := VerifyResult{OK: v.OK(), Checked: v.Checked}
	if !v.OK() {
		res.BadSeq, res.Reason = v.Bad.Seq, v.Reason
	}
	return res, nil
}

// AuditFilter narrows a listing of the trail.
type AuditFilter struct {
	Actor     string
	Action    string
	From, To  time.Time // To is exclusive
	BeforeSeq int64     // page backwards from here; 0 for the newest
	Limit     int
}

// AuditSorts are the orders of the audit page, the newest first by
// default; seq is unique and follows the time of writing.
var AuditSorts = Sorts{Keys: map[string][]string{
	"seq":    {"seq"},
	"actor":  {"actor"},
	"action": {"action"},
}, Default: "seq", DefaultDesc: true, Tie: "seq"}

// ListAudit returns records newest first, for watchdog viewers only, and
// only those concerning courts in the viewer's scope. Records of the system
// itself (empty court) are shown to the watchdogs of a top court. It reads
// at most f.Limit (50 by default, 500 at most) before f.BeforeSeq: for the
// program's own reads; the page shown is AuditPage's.
func (db *DB) ListAudit(ctx context.Context, v domain.Viewer, f AuditFilter) ([]*audit.Record, error) {
	cond, args, err := auditCond(v, f)
	if err != nil {
		return nil, err
	}
	if f.BeforeSeq > 0 {
		cond += " AND seq < ?"
		args = append(args, f.BeforeSeq)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	out, err := collect(ctx, db, scanAudit, "SELECT "+auditColumns+" FROM audit_log WHERE "+cond+" ORDER BY seq DESC LIMIT ?", append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("listing audit trail: %w", err)
	}
	return out, nil
}

// AuditPage reads a page of the records ListAudit would find (BeforeSeq
// and Limit aside) and counts them all.
func (db *DB) AuditPage(ctx context.Context, v domain.Viewer, f AuditFilter, req PageReq) ([]*audit.Record, PageInfo, error) {
	cond, args, err := auditCond(v, f)
	if err != nil {
		return nil, PageInfo{}, err
	}
	return listPage(ctx, db, scanAudit, auditColumns, " FROM audit_log", cond, args, req, AuditSorts, "audit trail")
}

// auditCond is the condition of the records v may read that f finds.
func auditCond(v domain.Viewer, f AuditFilter) (string, []any, error) {
	if !v.CanReadAudit() {
		return "", nil, domain.Errorf(domain.ErrForbidden, "审计日志仅供安全审计员、派驻纪检监察组、监察室查阅。")
	}
	where := []string{"1=1"}
	var args []any
	if !v.System {
		prefix, _ := v.ScopePrefix()
		root := strings.Count(v.CourtPath, "/") == 2
		where = append(where, "(court_path LIKE CAST(? AS TEXT) ESCAPE '\\' OR (court_path = '' AND ?))")
		args = append(args, likePrefix(prefix), root)
	}
	if f.Actor != "" {
		where = append(where, "lower(actor) LIKE CAST(? AS TEXT) ESCAPE '\\'")
		args = append(args, "%"+likeEscape(strings.ToLower(f.Actor))+"%")
	}
	if f.Action != "" {
		where = append(where, "action = ?")
		args = append(args, f.Action)
	}
	if !f.From.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where = append(where, "at < ?")
		args = append(args, f.To.UTC())
	}
	return strings.Join(where, " AND "), args, nil
}

// likeEscape escapes LIKE wildcards in user input; every LIKE in this
// package says ESCAPE '\', which both engines understand.
func likeEscape(s string) string { return likeEscaper.Replace(s) }

// likeEscaper is built once: a replacer builds its tables on first use,
// and one made per call did so for every court condition of every page
// (4 % of the case page's CPU, pprof at 100,000 cases).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// likePrefix is the pattern of a court subtree's paths. Its conditions
// say "path LIKE CAST(? AS TEXT) ESCAPE '\'": SQLite marks a statement
// whose LIKE pattern is a bare parameter to be planned again at every new
// binding (for the LIKE optimisation, which a case-insensitive LIKE on
// courts.path never uses), so a cached statement was re-prepared on each
// request: a third of the case page's CPU with the statistics' own
// re-planning (pprof at 100,000 cases). The cast changes nothing else.
func likePrefix(p string) string { return likeEscape(p) + "%" }

// KeyAuditChain seals a trail written before the chain was keyed: it
// checks the unkeyed chain, recomputes every record's hash as an HMAC
// under the audit key, seals the head, and appends a record naming the old
// head, all in one transaction that holds the head's lock. A trail whose
// unkeyed chain is broken is left as it is (the verifier then reports it).
// It returns how many records it sealed.
//
// It is run once, by the process whose migration brings the key in
// (app.openDB): after that an unkeyed record is tampering, which must not
// be sealed again.
func (db *DB) KeyAuditChain(ctx context.Context) (int64, error) {
	if len(db.AuditKey) == 0 {
		return 0, errors.New("keying audit trail: no audit key")
	}
	var n int64
	err := db.Update(ctx, domain.SystemViewer("audit-key"), func(tx *Tx) error {
		var unkeyed int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE alg NOT LIKE 'hmac-%'").Scan(&unkeyed); err != nil {
			return fmt.Errorf("counting unkeyed audit records: %w", translate(err))
		}
		if unkeyed == 0 {
			return nil
		}
		if _, err := tx.exec(ctx, "UPDATE audit_head SET seq = seq WHERE id = 1"); err != nil { // the head's lock
			return err
		}
		res, err := db.verifyAudit(ctx, tx, audit.Verifier{Unkeyed: true})
		if err != nil {
			return err
		}
		if !res.OK {
			return fmt.Errorf("the audit trail written before keying is broken at record %d (%s): %w", res.BadSeq, res.Reason, errAuditBroken)
		}
		recs, err := tx.allAudit(ctx)
		if err != nil {
			return err
		}
		oldHead := ""
		prevSeq, prevHash := int64(0), ""
		for _, r := range recs {
			oldHead = r.Hash
			r.Alg = audit.Keyed(strings.TrimPrefix(r.Alg, "hmac-"))
			if err := audit.Seal(r, prevSeq, prevHash, db.AuditKey); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, "UPDATE audit_log SET alg = ?, prev_hash = ?, hash = ? WHERE seq = ?", r.Alg, r.PrevHash, r.Hash, r.Seq); err != nil {
				return fmt.Errorf("sealing audit record %d: %w", r.Seq, err)
			}
			prevSeq, prevHash = r.Seq, r.Hash
		}
		if _, err := tx.exec(ctx, "UPDATE audit_head SET hash = ?, mac = ? WHERE id = 1", prevHash, audit.HeadMAC(db.AuditKey, prevSeq, prevHash)); err != nil {
			return err
		}
		n = int64(len(recs))
		return tx.Audit(ctx, Entry{Action: "audit.rekey", ObjectType: "audit", Success: true,
			Detail: fmt.Sprintf("审计链启用密钥（HMAC）：原有%d条记录经校验完整后重新签封；原链尾第%d条，哈希%s", n, prevSeq, oldHead)})
	})
	return n, err
}

var errAuditBroken = errors.New("audit trail broken")

// SealAuditHead seals the head of a keyed trail written before heads were
// sealed (migration 00018): the chain is checked under the key first, and
// a broken one is left for the verifier to report. Like KeyAuditChain it
// is run once, by the process whose migration adds the seal.
func (db *DB) SealAuditHead(ctx context.Context) error {
	return db.Update(ctx, domain.SystemViewer("audit-key"), func(tx *Tx) error {
		var seq int64
		var hash, mac string
		if err := tx.queryRow(ctx, "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash, mac").Scan(&seq, &hash, &mac); err != nil {
			return fmt.Errorf("reading audit head: %w", translate(err))
		}
		if mac != "" {
			return nil
		}
		recs, err := tx.allAudit(ctx)
		if err != nil {
			return err
		}
		v := audit.Verifier{Key: db.AuditKey}
		for _, r := range recs {
			if !v.Add(r) {
				return fmt.Errorf("the audit trail is broken at record %d (%s): %w", v.Bad.Seq, v.Reason, errAuditBroken)
			}
		}
		if len(recs) > 0 && (recs[len(recs)-1].Seq != seq || recs[len(recs)-1].Hash != hash) {
			return fmt.Errorf("the audit trail ends at record %d but its head says %d: %w", recs[len(recs)-1].Seq, seq, errAuditBroken)
		}
		_, err = tx.exec(ctx, "UPDATE audit_head SET mac = ? WHERE id = 1", audit.HeadMAC(db.AuditKey, seq, hash))
		return err
	})
}

func (tx *Tx) allAudit(ctx context.Context) ([]*audit.Record, error) {
	out, err := collect(ctx, tx, scanAudit, "SELECT "+auditColumns+" FROM audit_log ORDER BY seq")
	if err != nil {
		return nil, fmt.Errorf("reading audit trail: %w", err)
	}
	return out, nil
}

// Anchor is the head of the audit chain at a moment, to be kept outside the
// system (printed, or filed with another body): a trail rewritten later no
// longer contains it.
type Anchor struct {
	Seq  int64
	Hash string
	At   time.Time
}

// AuditAnchor returns the current head of the chain.
func (db *DB) AuditAnchor(ctx context.Context) (Anchor, error) {
	var a Anchor
	if err := db.queryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&a.Seq, &a.Hash); err != nil {
		return a, fmt.Errorf("reading audit head: %w", translate(err))
	}
	a.At = db.now()
	if a.Seq > 0 {
		if err := db.queryRow(ctx, "SELECT at FROM audit_log WHERE seq = ?", a.Seq).Scan(&a.At); err != nil {
			return a, fmt.Errorf("reading audit head: %w", translate(err))
		}
	}
	a.At = a.At.UTC()
	return a, nil
}

// CheckAnchor reports whether the trail still holds the record an anchor
// names, with the hash it had.
func (db *DB) CheckAnchor(ctx context.Context, a Anchor) (bool, string, error) {
	var hash string
	err := db.queryRow(ctx, "SELECT hash FROM audit_log WHERE seq = ?", a.Seq).Scan(&hash)
	if errors.Is(translate(err), domain.ErrNotFound) {
		return false, fmt.Sprintf("record %d of the anchor is missing from the trail", a.Seq), nil
	}
	if err != nil {
		return false, "", fmt.Errorf("reading audit record %d: %w", a.Seq, translate(err))
	}
	if hash != a.Hash {
		return false, fmt.Sprintf("record %d has hash %s, the anchor says %s: the trail was rewritten", a.Seq, hash, a.Hash), nil
	}
	return true, "", nil
}
