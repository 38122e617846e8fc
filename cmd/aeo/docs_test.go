package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The README and the guides under docs/ are run by TestDocs, so that they
// cannot drift from what the engine does. Their code blocks run in order,
// in a fresh folder, as a reader would run them:
//
//   - a yaml block preceded by <!-- file: NAME --> or <!-- append: NAME -->
//     writes or extends that file; any other yaml block is checked with
//     aeo validate, as a programme, fixtures or profile by its keys;
//   - an sh block runs its aeo commands (and cd) line by line, each of which
//     must exit 0, or the status a trailing "# exit N" gives; "> FILE"
//     writes the output to FILE; go commands are left to the tests that
//     build and install the module;
//   - a go block is built in a module of its own that requires the engine
//     (as a host does) and run in the folder: a main package is run, a
//     test file is run with go test beside the folder's YAML files;
//   - a yaml block preceded by <!-- section --> is a part of a programme
//     (a calendar: or lifecycle: section, say): it is validated inside a
//     programme that extends the baseline, in the folder the blocks before
//     it wrote (so that the files it names are there);
//   - a block preceded by <!-- excerpt: PATH --> is a piece of a file of
//     the repository that a test of its own runs (an example's fixtures):
//     its lines must stand in PATH, in order, so that it cannot drift;
//   - <!-- setup: CMD ; CMD --> runs aeo commands, or copies a file
//     ("copy A B"), before the next block; <!-- not run --> skips it (for
//     a command that runs until stopped, such as aeo serve).

var docMarker = regexp.MustCompile(`^<!--\s*(file|append|setup|section|excerpt|not run)\s*:?\s*(.*?)\s*-->$`)

type docBlock struct {
	lang, body  string
	marker, arg string
	line        int
}

// docBlocks returns the fenced code blocks of a Markdown file with the
// marker before each.
func docBlocks(t *testing.T, name string) []docBlock {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	lines := strings.Split(string(data), "\n")
	var out []docBlock
	prev := ""
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "```") {
			if strings.TrimSpace(l) != "" {
				prev = strings.TrimSpace(l)
			}
			continue
		}
		b := docBlock{lang: strings.TrimSpace(strings.TrimPrefix(l, "```")), line: i + 1}
		var body []string
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
		}
		b.body = strings.Join(body, "\n") + "\n"
		if m := docMarker.FindStringSubmatch(prev); m != nil {
			b.marker, b.arg = m[1], m[2]
		}
		out = append(out, b)
		prev = ""
	}
	return out
}

func TestDocs(t *testing.T) {
	docs := []string{"../../README.md"}
	guides, err := filepath.Glob("../../docs/*.md")
	require.NoError(t, err)
	docs = append(docs, guides...)
	for _, doc := range docs {
		t.Run(filepath.Base(doc), func(t *testing.T) {
			runDoc(t, doc)
		})
	}
}

func runDoc(t *testing.T, doc string) {
	dir := t.TempDir()
	cwd := dir
	ran := 0
	for _, b := range docBlocks(t, doc) {
		where := filepath.Base(doc) + ":" + strconv.Itoa(b.line)
		switch b.marker {
		case "not run":
			continue
		case "excerpt":
			requireExcerpt(t, where, filepath.Join("../..", b.arg), b.body)
			ran++
			continue
		case "setup":
			for _, c := range strings.Split(b.arg, ";") {
				runDocCommand(t, where, &cwd, strings.TrimSpace(c))
			}
		}
		switch b.lang {
		case "yaml":
			switch b.marker {
			case "file", "append":
				flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
				if b.marker == "append" {
					flags = os.O_CREATE | os.O_WRONLY | os.O_APPEND
				}
				require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(cwd, b.arg)), 0o755), where)
				f, err := os.OpenFile(filepath.Join(cwd, b.arg), flags, 0o644)
				require.NoError(t, err, where)
				_, err = f.WriteString(b.body)
				require.NoError(t, err, where)
				require.NoError(t, f.Close())
			case "section":
				snippet := filepath.Join(cwd, "section-snippet.yaml")
				body := "programme: {name: Section example, version: \"1\"}\nextends: baseline\n" + b.body
				require.NoError(t, os.WriteFile(snippet, []byte(body), 0o644))
				code, out, errOut := aeoIn(t, cwd, "validate", snippet)
				require.Equal(t, 0, code, "%s: the section does not validate in a programme:\n%s%s", where, out, errOut)
				require.NoError(t, os.Remove(snippet))
			default:
				snippet := filepath.Join(t.TempDir(), "snippet.yaml")
				require.NoError(t, os.WriteFile(snippet, []byte(b.body), 0o644))
				code, out, errOut := aeoIn(t, cwd, "validate", snippet)
				require.Equal(t, 0, code, "%s: the YAML does not validate:\n%s%s", where, out, errOut)
			}
			ran++
		case "sh":
			for _, l := range strings.Split(b.body, "\n") {
				runDocCommand(t, where, &cwd, l)
			}
			ran++
		case "go":
			runGoSnippet(t, where, cwd, b.body)
			ran++
		}
	}
	require.Positive(t, ran, "%s has code blocks to run", doc)
}

var exitComment = regexp.MustCompile(`#\s*exit (\d+)\s*$`)

// runDocCommand runs one line of an sh block: an aeo command, cd, or
// copy A B (in a setup marker); go commands and comments are left alone.
func runDocCommand(t *testing.T, where string, cwd *string, line string) {
	t.Helper()
	want := 0
	if m := exitComment.FindStringSubmatch(line); m != nil {
		want, _ = strconv.Atoi(m[1])
	}
	words := shellWords(line)
	if len(words) == 0 {
		return
	}
	switch words[0] {
	case "cd":
		*cwd = filepath.Join(*cwd, words[1])
		return
	case "copy":
		data, err := os.ReadFile(filepath.Join(*cwd, words[1]))
		require.NoError(t, err, where)
		require.NoError(t, os.WriteFile(filepath.Join(*cwd, words[2]), data, 0o644), where)
		return
	case "aeo":
	default:
		return // go run, go test, go install: the module's own tests run those
	}
	args, redirect := words[1:], ""
	if i := indexOf(args, ">"); i >= 0 && i+1 < len(args) {
		redirect, args = args[i+1], args[:i]
	}
	code, out, errOut := aeoDoc(t, where, *cwd, args...)
	t.Logf("%s: $ %s (exit %d)\n%s%s", where, line, code, out, errOut)
	require.Equal(t, want, code, "%s: $ %s\n%s%s", where, line, out, errOut)
	if redirect != "" {
		require.NoError(t, os.WriteFile(filepath.Join(*cwd, redirect), []byte(out), 0o644))
	}
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// shellWords splits a command line as sh does for the simple lines of the
// docs: words separated by spaces, single and double quotes, and a # that
// starts a comment.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '#' && !inWord:
			return append(words, flush(&cur, &inWord)...)
		case r == ' ' || r == '\t':
			words = append(words, flush(&cur, &inWord)...)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	return append(words, flush(&cur, &inWord)...)
}

func flush(b *strings.Builder, inWord *bool) []string {
	if !*inWord {
		return nil
	}
	s := b.String()
	b.Reset()
	*inWord = false
	return []string{s}
}

// runGoSnippet builds a Go block in a module of its own that requires the
// engine from this checkout, as a host's module would, and runs it in cwd
// (a main package) or with the YAML files of cwd beside it (a test file).
func runGoSnippet(t *testing.T, where, cwd, src string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a module")
	}
	root := mustAbs(t, "../..")
	mod := t.TempDir()
	gomod := "module example.com/host\n\ngo 1.24\n\nrequire github.com/safe-aeo/engine v0.0.0\n\nreplace github.com/safe-aeo/engine => " + root + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644))
	goCmd := func(dir string, args ...string) []byte {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s: go %s:\n%s", where, strings.Join(args, " "), out)
		return out
	}
	if strings.Contains(src, "package main") {
		require.NoError(t, os.WriteFile(filepath.Join(mod, "main.go"), []byte(src), 0o644))
		bin := filepath.Join(mod, "snippet")
		goCmd(mod, "build", "-o", bin, ".")
		cmd := exec.Command(bin)
		cmd.Dir = cwd
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Run(), "%s: the program fails:\n%s", where, out.String())
		require.NotEmpty(t, out.String(), "%s: the program prints something", where)
		return
	}
	require.Contains(t, src, "func Test", "%s: a Go block is a main package or a test file", where)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "snippet_test.go"), []byte(src), 0o644))
	entries, err := os.ReadDir(cwd)
	require.NoError(t, err)
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".yaml" {
			data, err := os.ReadFile(filepath.Join(cwd, e.Name()))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(mod, e.Name()), data, 0o644))
		}
	}
	out := goCmd(mod, "test", "-count=1", "-v", ".")
	require.Contains(t, string(out), "--- PASS", "%s: the test runs and passes:\n%s", where, out)
}

// aeoDoc runs an aeo command of a doc. A command that does not end (aeo
// serve) is stopped, and the doc is told to mark its block not run.
func aeoDoc(t *testing.T, where, dir string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s: aeo %s did not end; put <!-- not run --> before a block whose commands run until stopped", where, strings.Join(args, " "))
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return code, stdout.String(), stderr.String()
}

// requireExcerpt checks that every non-blank line of body stands in the
// file at path, in the same order (each found after the one before).
func requireExcerpt(t *testing.T, where, path, body string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err, where)
	lines := strings.Split(string(data), "\n")
	at := 0
	for _, want := range strings.Split(body, "\n") {
		want = uncomment(want)
		if want == "" {
			continue
		}
		found := false
		for ; at < len(lines); at++ {
			if uncomment(lines[at]) == want {
				found, at = true, at+1
				break
			}
		}
		require.True(t, found, "%s: the excerpt's line %q is not in %s (in this order)", where, want, path)
	}
}

var yamlComment = regexp.MustCompile(`(^|\s+)#.*$`)

// uncomment returns a line of YAML without its comment and surrounding
// space, so that an excerpt may comment its lines differently.
func uncomment(line string) string {
	return strings.TrimSpace(yamlComment.ReplaceAllString(line, ""))
}
