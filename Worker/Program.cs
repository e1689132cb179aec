using OAuthDemo.Worker;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Client credentials token (cached), GET /api/stats every Worker:Interval, state in /health.
builder.AddStatsWorker();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
