package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/courts"
	"github.com/zhilian/zhilian/internal/crypto"
	"github.com/zhilian/zhilian/internal/domain"
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
Roles: officer, dept_head, command_center, bureau, discipline_group, supervision_office, admin.`)
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
	fs.Var(&roles, "role", "role (repeatable): officer, dept_head, command_center, bureau, discipline_group, supervision_office, admin")
	fs.BoolVar(&u.Liaison, "liaison", false, "the user is the 联络员 of their body")
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*stdin {
		return &exitError{2, errors.New("give the password on standard input with --password-stdin")}
	}
	for _, r := range roles {
		role, err := domain.ParseRole(r)
		if err != nil {
			return err
		}
		u.Roles = append(u.Roles, role)
	}
	password, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && password == "" {
		return errors.New("reading password from standard input: nothing there")
	}
	password = strings.TrimRight(password, "\r\n")
	d, err := openDB(ctx, e, *db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	svc := auth.NewService(d, auth.DefaultPolicy, auth.DefaultParams)
	if err := svc.CreateUser(ctx, operator("users add"), u, password); err != nil {
		return err
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
	d, err := openDB(ctx, e, *db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	query := *q
	if *court != "" {
		query = *court
	}
	users, err := d.Users(ctx, operator("users list"), store.UserFilter{Query: query, Limit: 1000})
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
		if u.Liaison {
			roles = append(roles, "(liaison)")
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
	d, err := openDB(ctx, e, *db, "")
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

func cmdTokens(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return &exitError{2, errors.New("usage: zhilian tokens create --db DB --user U [--name NAME]")}
	}
	fs := newFlags(e, "tokens create")
	db := dbFlag(fs)
	user := fs.String("user", "", "the user the token acts for")
	name := fs.String("name", "", "what the token is for, e.g. 案件管理系统同步")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	d, err := openDB(ctx, e, *db, "")
	if err != nil {
		return err
	}
	defer d.Close()
	var token string
	err = d.Update(ctx, operator("tokens create"), func(tx *store.Tx) error {
		var err error
		token, err = tx.CreateAPIToken(ctx, *user, *name)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, token)
	return nil
}

func cmdAudit(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return &exitError{2, errors.New("usage: zhilian audit verify --db DB")}
	}
	fs := newFlags(e, "audit verify")
	db := dbFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	// Open without migrating: verification reads, and must not write.
	d, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := d.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !res.OK {
		return &exitError{3, fmt.Errorf("audit trail BROKEN at record %d: %s (%d records before it are intact)", res.BadSeq, res.Reason, res.Checked)}
	}
	fmt.Fprintf(e.stdout, "audit trail intact: %d records\n", res.Checked)
	return nil
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
	d, err := openDB(ctx, e, *db, "")
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
	d, err := openDB(ctx, e, *db, "")
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
