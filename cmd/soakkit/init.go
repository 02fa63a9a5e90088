package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/soakkit/soakkit/cmd/soakkit/internal/config"
	"github.com/soakkit/soakkit/internal/atomicfile"
)

type initFlags struct {
	force bool
}

func init() {
	register(&command{
		name:    "init",
		summary: "write a commented soakkit.yaml for the module or tree found here",
		usage:   "[DIR] [--force]",
		help: `
Writes soakkit.yaml for the project at DIR (default "."): at the root of
the Go module DIR is in, else in DIR when it holds Python sources. The file
says what was found (Go module, Python files), spells out the plan that
runs without a file (so nothing changes until you edit it) and ends with the
optional sections — soak duration and service, lint and secrets baselines,
gates, leak policies, notifiers — commented out. It is loaded and checked
before it is written. An existing soakkit.yaml is never replaced unless
--force is given. Where no plan fits (no go.mod, no Python file), nothing is
written: exit 2.

Examples:
  soakkit init && soakkit validate
  soakkit init ./services/api
  soakkit init --force                 # replace soakkit.yaml`,
		flags: func(fs *pflag.FlagSet) any {
			f := &initFlags{}
			fs.BoolVar(&f.force, "force", false, "replace an existing soakkit.yaml")
			return f
		},
		run: runInit,
	})
}

func runInit(ctx context.Context, env *cmdEnv, o any, args []string) int {
	f := o.(*initFlags)
	if len(args) > 1 {
		return usageError(env, "init", "at most one directory, got %q", args)
	}
	dir := firstOr(args, ".")
	if !isDir(dir) {
		return usageError(env, "init", "%s is not a directory", dir)
	}
	data, root, found, err := config.Template(dir)
	if err != nil {
		printErr(env, "init", err)
		return exitUsage
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(env.stderr, "soakkit init: %v\n", context.Cause(ctx))
		return exitSignal
	}
	path := filepath.Join(root, config.FileName)
	if err := writeNew(path, data, f.force); errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(env.stderr, "soakkit init: %s already exists; keeping it (--force replaces it)\n", path)
		return exitUsage
	} else if err != nil {
		printErr(env, "init", err)
		return exitFailed
	}
	fmt.Fprintf(env.stdout, "wrote %s (found: %s)\nnext: soakkit validate", path, found)
	if root != absPath(".") {
		fmt.Fprintf(env.stdout, " --config %s", path)
	}
	fmt.Fprintln(env.stdout)
	return exitOK
}

// writeNew writes data to path after checking that it loads as a config
// file: a new file only, unless force; then atomically.
func writeNew(path string, data []byte, force bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".soakkit-init-*.yaml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if _, err := config.Load(tmp.Name()); err != nil {
		return fmt.Errorf("the file written does not load (a bug in soakkit init): %w", err)
	}
	if force {
		return atomicfile.WriteFile(path, data, 0o644)
	}
	// A hard link fails if path exists, and never replaces a file created
	// meanwhile; without links (some file systems), O_EXCL does the same.
	if err := os.Link(tmp.Name(), path); err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = out.Write(data)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
