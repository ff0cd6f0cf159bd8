using Sotto.Server;

// Quick start: `dotnet run --project src/Sotto.Server -c Release` (add `--urls http://127.0.0.1:18080` to move it).
// `--https` adds https://<this machine>:8443 with a self-signed certificate (other devices need a secure context).
var app = SottoHost.Build(Sotto.Server.Http.SelfSignedHttps.ExpandArguments(args));
app.Run();
