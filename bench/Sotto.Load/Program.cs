using Sotto.Load;

// bench/Sotto.Load — the load generator and the side-by-side benchmark (issue 9, docs/performance.md).
//   run    [options]        ramp the scenarios against the targets and write the report
//   relay  --bind ip:port   the plain UDP relay floor (a child process of `run`)
return await LoadProgram.MainAsync(args);
