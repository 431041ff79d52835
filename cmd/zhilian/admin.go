package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/courts"
	"github.com/zhilian/zhilian/internal/crypto"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// operator is who the CLI acts as: the program itself, recorded in the
// audit trail with the command and the OS user who ran it.
func operator(cmd string) domain.Viewer {
	who := os.Getenv("USER")
	if who == "" {
		who = "unknown"
	}
	v := domain.SystemViewer("cli:" + cmd + " (" + who + ")")
	return v
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func cmdUsers(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "help" {
		fmt.Fprintln(e.stdout, `Usage:
  zhilian users add --db DB --username U --name 姓名 --court CODE --department 名称 --role R [--role R2] [--liaison] --password-stdin
  zhilian users list --db DB [--court CODE] [--q TEXT]
  zhilian users disable --db DB --username U
Roles: officer, dept_head, command_center, bureau, discipline_group, supervision_office,
       admin, security_admin, auditor (these three each alone: 三员分立).
An account added here gets its roles at once, without a second security administrator;
the audit trail records that the operator made it on the server.`)
		return nil
	}
	switch args[0] {
	case "add":
		return usersAdd(ctx, e, args[1:])
	case "list":
		return usersList(ctx, e, args[1:])
	case "disable":
		return usersDisable(ctx, e, args[1:])
	}
	return &exitError{2, fmt.Errorf("unknown subcommand %q (add, list, disable)", args[0])}
}

func usersAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "users add")
	db := dbFlag(fs)
	u := &domain.User{}
	var roles multiFlag
	fs.StringVar(&u.Username, "username", "", "login name")
	fs.StringVar(&u.Name, "name", "", "姓名")
	fs.StringVar(&u.CourtCode, "court", "", "court code, e.g. 鲁0102")
	fs.StringVar(&u.Department, "department", "", "department name (added to the court if new)")
	fs.Var(&roles, "role", "role (repeatable): officer, dept_head, command_center, bureau, discipline_group, supervision_office, admin, security_admin, auditor")
	var posts multiFlag
	fs.Var(&posts, "post", "a post of the court the user holds (repeatable): bureau_leader, discipline_leader, bureau_liaison, discipline_liaison, supervision_liaison")
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*stdin {
		return &exitError{2, errors.New("give the password on standard input with --password-stdin")}
	}
	if len(roles) == 0 {
		return &exitError{2, errors.New("give at least one --role")}
	}
	for _, r := range roles {
		role, err := domain.ParseRole(r)
		if err != nil {
			return err
		}
		u.Roles = append(u.Roles, role)
	}
	for _, p := range posts {
		if !oversight.Post(p).Valid() {
			return &exitError{2, fmt.Errorf("--post %q: want one of bureau_leader, discipline_leader, bureau_liaison, discipline_liaison, supervision_liaison", p)}
		}
		if err := oversight.CheckHolder(oversight.Post(p), oversight.Holder{Roles: u.Roles}, 0); err != nil {
			return &exitError{2, fmt.Errorf("--post %s: %w", p, err)}
		}
	}
	password, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && password == "" {
		return errors.New("reading password from standard input: nothing there")
	}
	password = strings.TrimRight(password, "\r\n")
	d, err := openDB(ctx, e, db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	svc := auth.NewService(d, auth.DefaultPolicy, auth.DefaultParams)
	if err := svc.CreateUser(ctx, operator("users add"), u, password); err != nil {
		return err
	}
	for _, p := range posts {
		if err := d.AppointPost(ctx, operator("users add"), u.CourtCode, oversight.Post(p), u.ID); err != nil {
			return fmt.Errorf("user %s added, but not appointed %s: %w", u.Username, p, err)
		}
	}
	fmt.Fprintf(e.stdout, "added user %s (%s, %s %s, %s)\n", u.Username, u.Name, u.CourtCode, u.Department, strings.Join(u.RoleLabels(), "、"))
	return nil
}

func usersList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "users list")
	db := dbFlag(fs)
	court := fs.String("court", "", "only users of this court")
	q := fs.String("q", "", "search username, name, department or court")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := openDB(ctx, e, db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	query := *q
	if *court != "" {
		query = *court
	}
	users, _, err := d.Users(ctx, operator("users list"), store.UserFilter{Query: query, Page: store.PageReq{All: true}})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tNAME\tCOURT\tDEPARTMENT\tROLES\tSTATUS")
	now := d.Now()
	for _, u := range users {
		if *court != "" && u.CourtCode != *court {
			continue
		}
		status := "active"
		switch {
		case u.Disabled:
			status = "disabled"
		case u.Locked(now):
			status = "locked"
		}
		roles := make([]string, len(u.Roles))
		for i, r := range u.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.Name, u.CourtCode, u.Department, strings.Join(roles, ","), status)
	}
	return tw.Flush()
}

func usersDisable(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "users disable")
	db := dbFlag(fs)
	username := fs.String("username", "", "login name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := openDB(ctx, e, db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	u, _, err := d.UserForLogin(ctx, *username)
	if err != nil {
		return fmt.Errorf("user %q: %w", *username, err)
	}
	err = d.Update(ctx, operator("users disable"), func(tx *store.Tx) error {
		_, err := tx.SetUserDisabled(ctx, u.ID, true)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "disabled %s; its sessions and API tokens have ended\n", u.Username)
	return nil
}

const tokensUsage = `usage:
  zhilian tokens create --db DB --user U [--name NAME] [--days 90]   prints only the token
  zhilian tokens list   --db DB [--user U]
  zhilian tokens revoke --db DB --id N`

func cmdTokens(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return &exitError{2, errors.New(tokensUsage)}
	}
	fs := newFlags(e, "tokens "+args[0])
	db := dbFlag(fs)
	user := fs.String("user", "", "the user the token acts for (create), or whose tokens to list")
	name := fs.String("name", "", "what the token is for, e.g. 案件管理系统同步")
	days := fs.Int("days", 90, "days the token works (at most 366)")
	id := fs.Int64("id", 0, "the token to revoke (from tokens list)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	d, err := openDB(ctx, e, db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	op := operator("tokens " + args[0])
	switch args[0] {
	case "create":
		var token string
		err = d.Update(ctx, op, func(tx *store.Tx) error {
			var err error
			token, err = tx.CreateAPIToken(ctx, *user, *name, time.Duration(*days)*24*time.Hour)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, token)
	case "list":
		ts, err := d.APITokens(ctx, op, *user)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tUSER\tNAME\tCREATED\tEXPIRES\tLAST USED\tSTATUS")
		now := d.Now()
		for _, t := range ts {
			status := "active"
			switch {
			case !t.RevokedAt.IsZero():
				status = "revoked"
			case !t.Active(now):
				status = "expired"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Username, t.Name, day(t.CreatedAt), day(t.ExpiresAt), day(t.LastUsedAt), status)
		}
		return tw.Flush()
	case "revoke":
		if err := d.Update(ctx, op, func(tx *store.Tx) error { return tx.RevokeAPIToken(ctx, *id) }); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token %d revoked\n", *id)
	default:
		return &exitError{2, errors.New(tokensUsage)}
	}
	return nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(domain.Beijing).Format("2006-01-02")
}

const auditUsage = `usage:
  zhilian audit verify --db DB [--anchor FILE]   exit 0 only if the keyed chain is intact (and holds the anchor)
  zhilian audit anchor --db DB                    print the head of the chain, to keep outside the system`

func cmdAudit(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "anchor") {
		return &exitError{2, errors.New(auditUsage)}
	}
	fs := newFlags(e, "audit "+args[0])
	db := dbFlag(fs)
	anchorFile := fs.String("anchor", "", "a file written by 'zhilian audit anchor' (verify only)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	// Open without migrating: verification reads, and must not write.
	d, err := openStore(ctx, e, db)
	if err != nil {
		return err
	}
	defer d.Close()
	if args[0] == "anchor" {
		a, err := d.AuditAnchor(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, formatAnchor(a))
		return nil
	}
	res, err := d.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !res.OK {
		return &exitError{3, fmt.Errorf("audit trail BROKEN at record %d: %s (%d records before it are intact)", res.BadSeq, res.Reason, res.Checked)}
	}
	if *anchorFile != "" {
		b, err := os.ReadFile(*anchorFile)
		if err != nil {
			return err
		}
		anchors, err := parseAnchors(string(b))
		if err != nil {
			return &exitError{2, fmt.Errorf("%s: %w", *anchorFile, err)}
		}
		for _, a := range anchors {
			ok, why, err := d.CheckAnchor(ctx, a)
			if err != nil {
				return err
			}
			if !ok {
				return &exitError{3, fmt.Errorf("audit trail does NOT hold the anchor of %s: %s", a.At.In(domain.Beijing).Format(time.DateTime), why)}
			}
		}
		fmt.Fprintf(e.stdout, "audit trail intact: %d records; it holds the %d anchor(s) of %s\n", res.Checked, len(anchors), *anchorFile)
		return nil
	}
	fmt.Fprintf(e.stdout, "audit trail intact: %d records\n", res.Checked)
	return nil
}

// An anchor line reads: zhilian-audit-anchor seq=N hash=HEX at=RFC3339.
func formatAnchor(a store.Anchor) string {
	return fmt.Sprintf("zhilian-audit-anchor seq=%d hash=%s at=%s", a.Seq, a.Hash, a.At.UTC().Format(time.RFC3339))
}

// parseAnchors reads the anchor lines of a file; other lines are ignored,
// so anchors can be appended to one file over the years.
func parseAnchors(s string) ([]store.Anchor, error) {
	var out []store.Anchor
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || f[0] != "zhilian-audit-anchor" {
			continue
		}
		var a store.Anchor
		seq, ok1 := strings.CutPrefix(f[1], "seq=")
		hash, ok2 := strings.CutPrefix(f[2], "hash=")
		at, ok3 := strings.CutPrefix(f[3], "at=")
		n, err := strconv.ParseInt(seq, 10, 64)
		t, terr := time.Parse(time.RFC3339, at)
		if !ok1 || !ok2 || !ok3 || err != nil || terr != nil || len(hash) != 64 {
			return nil, fmt.Errorf("bad anchor line %q", line)
		}
		a.Seq, a.Hash, a.At = n, hash, t
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, errors.New("no anchor line (zhilian-audit-anchor seq=… hash=… at=…)")
	}
	return out, nil
}

func cmdCourts(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return &exitError{2, errors.New("usage: zhilian courts import --db DB FILE")}
	}
	fs := newFlags(e, "courts import")
	db := dbFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{2, errors.New("usage: zhilian courts import --db DB FILE")}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	list, err := courts.Parse(f)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, e, db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	var res store.ImportResult
	err = d.Update(ctx, operator("courts import"), func(tx *store.Tx) error {
		res, err = tx.UpsertCourts(ctx, list, true)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "courts: %d added, %d updated, %d unchanged\n", res.Added, res.Updated, res.Unchanged)
	return nil
}

func cmdKeygen(ctx context.Context, e *env, args []string) error {
	fmt.Fprintln(e.stdout, crypto.GenerateKey())
	return nil
}

func cmdCalendar(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return &exitError{2, errors.New("usage: zhilian calendar import --db DB FILE")}
	}
	fs := newFlags(e, "calendar import")
	db := dbFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{2, errors.New("usage: zhilian calendar import --db DB FILE")}
	}
	content, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	d, err := openDB(ctx, e, db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	err = d.Update(ctx, operator("calendar import"), func(tx *store.Tx) error {
		return tx.AddCalendar(ctx, filepath.Base(fs.Arg(0)), string(content))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "calendar %s loaded; running servers pick it up when they restart\n", filepath.Base(fs.Arg(0)))
	return nil
}
