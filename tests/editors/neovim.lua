-- Opens a page in headless Neovim, starts `imprimatur lsp` through
-- Neovim's own LSP client (the 0.7 API: vim.lsp.start_client and
-- vim.lsp.buf_attach_client), waits for its diagnostics and writes them,
-- one a line, as `line:column:code:message` (1-based, column in
-- characters, like `imprimatur check --format line`). Then it applies the
-- quick fix of the first finding through the client and writes the buffer.
local bin = os.getenv("IMPRIMATUR_BIN")
local root = os.getenv("IMPRIMATUR_ROOT")
local page = os.getenv("IMPRIMATUR_PAGE")
local out = os.getenv("IMPRIMATUR_OUT")

local function finish(lines)
  vim.fn.writefile(lines, out)
  vim.cmd("qall!")
end

vim.cmd("edit " .. vim.fn.fnameescape(page))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "imprimatur",
  cmd = { bin, "lsp" },
  root_dir = root,
})
if not client_id then
  finish({ "error: the client did not start" })
end
vim.lsp.buf_attach_client(buf, client_id)

local got = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 20)
if not got then
  finish({ "error: no diagnostics within 20 s" })
end

local lines = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local text = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1] or ""
  local chars = vim.str_utfindex(text, d.col)
  local lsp = (d.user_data or {}).lsp or {}
  local code = d.code or lsp.code or ""
  table.insert(lines, string.format("%d:%d:%s:%s", d.lnum + 1, chars + 1, code, d.message))
end
table.sort(lines)

-- The quick fix of the first brand finding, applied as Neovim applies it.
local client = vim.lsp.get_client_by_id(client_id)
local first
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = (d.user_data or {}).lsp or {}
  if (d.code or lsp.code) == "brand/github" and not first then
    first = d
  end
end
if first then
  local text = vim.api.nvim_buf_get_lines(buf, first.lnum, first.lnum + 1, false)[1]
  local _, utf16 = vim.str_utfindex(text, first.col)
  local at = { line = first.lnum, character = utf16 }
  local result = client.request_sync("textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = at, ["end"] = at },
    context = { diagnostics = {}, only = { "quickfix" } },
  }, 10000, buf)
  local actions = (result or {}).result or {}
  if actions[1] and actions[1].edit then
    vim.lsp.util.apply_workspace_edit(actions[1].edit, client.offset_encoding)
    table.insert(lines, "fixed: " .. actions[1].title)
    table.insert(lines, "line: " .. vim.api.nvim_buf_get_lines(buf, first.lnum, first.lnum + 1, false)[1])
  else
    table.insert(lines, "error: no quick fix: " .. vim.inspect(result):gsub("\n", " "))
  end
end
finish(lines)
