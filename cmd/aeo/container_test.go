package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestContainer builds the repository's Dockerfile with podman and runs
// the image: a static binary on an empty base, as a non-root user,
// serving programmes mounted from a volume, stopped gracefully. It runs
// only with AEO_CONTAINER_TEST=1, and needs Debian's podman, runc and
// busybox-static; it takes minutes, so give it time:
//
//	apt-get install podman runc busybox-static
//	AEO_CONTAINER_TEST=1 go test ./cmd/aeo -run TestContainer -timeout 40m -v
//
// The build stage's base is made here from this machine's Go toolchain
// and module cache, so that the build needs no image registry: only the
// Dockerfile's GO_IMAGE argument differs from a build elsewhere. The
// container uses the host's network and listens on 127.0.0.1 only; its
// limits on open files and processes are lowered, as sandboxes refuse to
// raise them.
func TestContainer(t *testing.T) {
	if os.Getenv("AEO_CONTAINER_TEST") != "1" {
		t.Skip("set AEO_CONTAINER_TEST=1 to build and run the container image with podman")
	}
	for _, tool := range []string{"podman", "busybox", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed: apt-get install podman runc busybox-static", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 35*time.Minute)
	defer cancel()
	podman := []string{}
	if _, err := exec.LookPath("runc"); err == nil {
		podman = append(podman, "--runtime", "runc")
	}
	limits := []string{"--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"}
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s %s:\n%s", name, strings.Join(args, " "), out)
		return strings.TrimSpace(string(out))
	}
	pm := func(args ...string) string {
		t.Helper()
		return run("podman", append(append([]string{}, podman...), args...)...)
	}
	tag := fmt.Sprintf("%d", time.Now().UnixNano())
	// The build leaves its build stage as an untagged image: remove the
	// untagged images that were not there before, and only those.
	before := map[string]bool{}
	for _, id := range strings.Fields(pm("images", "-qa", "--no-trunc")) {
		before[id] = true
	}
	t.Cleanup(func() {
		out, _ := exec.Command("podman", "images", "-qa", "--no-trunc", "--filter", "dangling=true").Output()
		for _, id := range strings.Fields(string(out)) {
			if !before[id] {
				_ = exec.Command("podman", "rmi", "-f", id).Run()
			}
		}
	})
	builder, image, name := "localhost/aeo-go-builder:"+tag, "localhost/aeo:"+tag, "aeo-test-"+tag

	// The build stage's base: Go, the module cache, and a shell.
	root := t.TempDir()
	goroot := run("go", "env", "GOROOT")
	cache := run("go", "env", "GOMODCACHE")
	require.NoError(t, os.MkdirAll(filepath.Join(root, "bin"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "tmp"), 0o1777))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "usr", "local"), 0o755))
	bb, _ := exec.LookPath("busybox")
	run("cp", bb, filepath.Join(root, "bin", "busybox"))
	require.NoError(t, os.Symlink("busybox", filepath.Join(root, "bin", "sh")))
	run("cp", "-a", goroot, filepath.Join(root, "usr", "local", "go"))
	dl := exec.CommandContext(ctx, "go", "mod", "download")
	dl.Dir = "../.."
	dl.Env = append(os.Environ(), "GOPROXY=file://"+filepath.Join(cache, "cache", "download"), "GOSUMDB=off",
		"GOFLAGS=-mod=mod", "GOMODCACHE="+filepath.Join(root, "go", "pkg", "mod"))
	out, err := dl.CombinedOutput()
	require.NoError(t, err, "%s", out)
	run("chmod", "-R", "u+w", filepath.Join(root, "go"))
	tarball := filepath.Join(t.TempDir(), "builder.tar")
	run("tar", "-C", root, "-cf", tarball, ".")
	pm("import", "--change", "ENV PATH=/usr/local/go/bin:/bin", "--change", "ENV GOMODCACHE=/go/pkg/mod",
		"--change", "ENV GOPROXY=off", "--change", "ENV GOCACHE=/tmp/gocache", "--change", "ENV HOME=/tmp", tarball, builder)
	t.Cleanup(func() { _ = exec.Command("podman", "rmi", "-f", builder).Run() })

	// The image, from the Dockerfile as it is.
	pm(append(append([]string{"build"}, limits...), "--build-arg", "GO_IMAGE="+builder, "--build-arg", "GOPROXY=off",
		"-t", image, "-f", "../../Dockerfile", "../..")...)
	t.Cleanup(func() { _ = exec.Command("podman", "rmi", "-f", image).Run() })
	assert.Equal(t, "65532:65532", pm("image", "inspect", "--format", "{{.Config.User}}", image), "the image runs as a non-root user")
	assert.Contains(t, pm("image", "inspect", "--format", "{{.Config.Volumes}}", image), "/programmes")

	// Run it over a programme directory mounted read-only.
	progs := t.TempDir()
	prog, err := os.ReadFile("../../examples/baseline/programme.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(progs, "baseline.yaml"), prog, 0o644))
	require.NoError(t, os.Chmod(progs, 0o755))
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	pm(append(append([]string{"run", "-d", "--name", name, "--network", "host"}, limits...),
		"-v", progs+":/programmes:ro", image, "--addr", addr, "/programmes")...)
	t.Cleanup(func() { _ = exec.Command("podman", "rm", "-f", name).Run() })
	assert.Equal(t, "65532", strings.Fields(pm("top", name, "user"))[1], "the process is not root")

	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		require.True(t, time.Now().Before(deadline), "the container never became ready:\n%s", pm("logs", name))
		time.Sleep(200 * time.Millisecond)
	}
	resp, err := http.Post("http://"+addr+"/v1/programmes/baseline/lane", "application/json",
		strings.NewReader(`{"declaration": {"id": "D1", "hs_code": "930190"}}`))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, "%s", body)
	assert.Contains(t, string(body), `"lane":"red"`)

	pm("stop", "-t", "30", name) // SIGTERM: a graceful shutdown
	assert.Equal(t, "0", pm("inspect", "--format", "{{.State.ExitCode}}", name))
	assert.Contains(t, pm("logs", name), `"msg":"stopped"`)
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
