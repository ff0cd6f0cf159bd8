using Sotto.Server;

// Quick start: `dotnet run --project src/Sotto.Server -c Release` (add `--urls http://127.0.0.1:18080` to move it).
var app = SottoHost.Build(args);
app.Run();
