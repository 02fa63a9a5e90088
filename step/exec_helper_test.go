package step_test

import (
	"os"
	"os/exec"
)

// execCmd is a helper process description usable both as a step.Command
// and as a plain exec.Cmd.
type execCmd struct {
	argv, env []string
	cmd       *exec.Cmd
	Process   *os.Process
}

func (c *execCmd) Start() error {
	c.cmd = exec.Command(c.argv[0], c.argv[1:]...)
	c.cmd.Env = append(os.Environ(), c.env...)
	c.cmd.Stdout = os.Stdout
	err := c.cmd.Start()
	c.Process = c.cmd.Process
	return err
}
