"""`docgen import page.html`: a saved portal page in, the notice's lines out (docgen.importer.html).

Real pages (tests/corpus/html, cited in its README) import to a source that loads, with the
organ(s), date, title and 发文字号 the page shows; two small synthetic pages pin the heuristics
(a chrome-heavy page, a GBK page); hostile files are refused with the file named.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from docgen.errors import DocgenError
from docgen.importer.html import html_lines
from docgen.importer.text import import_lines, portal_row, read_text
from docgen.source.loader import load_document
from docgen.text.numbering import label_level

HTML = Path(__file__).resolve().parents[1] / "corpus" / "html"
NOTICES = Path(__file__).resolve().parents[1] / "corpus" / "notices"
EXPECTED = yaml.safe_load((HTML / "expected.yaml").read_text(encoding="utf-8"))["notices"]
# The same gov.cn pages as copied to text in tests/corpus/notices (README.md of both folders).
AS_TEXT = {
    "01-yijian-guofa-2019.html": "01-yijian-guofa-2019.txt",
    "02-jueding-kejijiang-2018.html": "04-jueding-kejijiang-2018.txt",
    "03-tongzhi-huaxue-1996.html": "17-tongzhi-huaxue-1996.txt",
    "04-tongzhi-mianliang-1981.html": "19-tongzhi-mianliang-1981.txt",
    "05-tongbao-dudu-2018.html": "12-tongbao-dudu-2018.txt",
    "06-zhuanfa-xizang-1996.html": "16-zhuanfa-xizang-1996.txt",
    "07-tongzhi-haopai-2018.html": "21-tongzhi-haopai-2018.txt",
}
# What a portal prints around an article and a browser copy would bring along.
CHROME = re.compile(r"首页|打印|关闭|分享|扫一扫|当前位置|字号|字体|相关|版权所有|回到顶部|纠错|微信|微博|收藏")


def imported(path: Path, tmp_path: Path):
    """The page imported, written as `docgen import` writes it, and loaded back as `docgen build` does."""
    result = import_lines(path, *html_lines(path))
    written = tmp_path / f"{path.stem}.yaml"
    written.write_text(result.yaml_text(path.name), encoding="utf-8")
    return load_document(written), yaml.safe_load(written.read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", EXPECTED, ids=[entry["file"] for entry in EXPECTED])
def test_a_saved_page_imports_to_a_source_that_loads(entry: dict, tmp_path: Path) -> None:
    document, source = imported(HTML / entry["file"], tmp_path)
    assert list(document.organs) == entry["organs"]
    assert document.signature.date == entry["date"]
    assert document.title == entry["title"]
    assert document.header is not None and document.header.number == entry["number"]
    parts = sum(label_level(part.get("number", "一、")) == 1 for part in source.get("sections", []))
    assert parts == entry["top_level_parts"]
    note = entry["extras"]["note"]
    assert document.note == (note[1:-1] if note else None)


@pytest.mark.parametrize("page", sorted(AS_TEXT))
def test_a_page_gives_the_lines_a_browser_copy_of_it_gives(page: str) -> None:
    lines, _ = html_lines(HTML / page)
    copied = [line for line in read_text(NOTICES / AS_TEXT[page])[0] if line.strip()]
    assert [" ".join(line.split()) for line in lines] == [" ".join(line.split()) for line in copied]
    chrome = [line for line in lines if portal_row(line) is None and len(line) < 20 and CHROME.search(line)]
    assert chrome == []


def test_the_portal_table_comes_first_as_tab_separated_label_and_value_cells() -> None:
    lines, _ = html_lines(HTML / "01-yijian-guofa-2019.html")
    assert lines[0] == "索 引 号：\t000014349/2019-00007\t主题分类：\t市场监管、安全生产监管\\工商"
    assert [portal_row(line) is not None for line in lines[:5]] == [True, True, True, True, False]
    assert portal_row(lines[3]) == {"发文字号": "国发〔2019〕5号", "发布日期": "2019年02月15日"}
    assert lines[4] == "国务院关于在市场监管领域全面推行"  # then the article, its title first


def test_a_table_in_the_article_is_kept_one_row_a_line_and_images_are_left_out_with_a_note() -> None:
    lines, notes = html_lines(HTML / "06-zhuanfa-xizang-1996.html")
    assert "总计\t1445\t555\t1600\t1800\t2000" in lines
    assert any("1 table(s)" in note for note in notes)
    lines, notes = html_lines(HTML / "07-tongzhi-haopai-2018.html")
    assert any(note.startswith("9 image(s) in the article were left out") for note in notes)
    assert not any("<img" in line or ".jpg" in line for line in lines)


# A provincial portal's article page as "save page as" gives it: menus, breadcrumb, the title and
# its 发布时间/来源 line above the article, 字号/打印/关闭/分享 tools (some inside the article's own block, with
# a script), a QR code, related links, footer.
CHROME_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>关于做好2023年防汛工作的通知_某市人民政府</title>
<style>.nav {{ color: red }}</style><script>var 首页 = "打印";</script></head>
<body>
<div class="top"><a href="/">首页</a> | <a href="/en">English</a> | 无障碍浏览</div>
<ul class="nav"><li><a href="/zwgk">政务公开</a></li><li><a href="/bsfw">办事服务</a></li></ul>
<div class="main">
<div class="BreadcrumbNav">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 通知公告</div>
<div class="article">
<h1>{title}</h1>
<div class="pages-date">发布时间：2023-04-25 10:30&nbsp;&nbsp; 来源：某市人民政府办公室
 <span class="font">【字号：<a>大</a> <a>中</a> <a>小</a>】</span>
 <span class="printIco" onclick="window.print()">打印</span>
 <a href="javascript:window.close()">关闭</a></div>
<div class="share">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>
<div class="pages_content" id="UCAP-CONTENT">
<p>各县（市、区）人民政府，市政府各部门：</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;为做好今年防汛工作，确保人民群众生命财产安全，现将有关事项通知如下。</p>
<p><strong>一、压实防汛责任</strong></p>
<p>&nbsp;&nbsp;各地要落实以行政首长负责制为核心的防汛责任制，层层压实责任。</p>
<p><strong>二、加强隐患排查</strong></p>
<div>各地要对水库、堤防、在建工程开展拉网式排查，<br>发现隐患立即整改。</div>
<p><img src="map.png" alt="防汛示意图"></p>
<p style="text-align:right">某市人民政府办公室&nbsp;&nbsp;&nbsp;&nbsp;</p>
<p style="text-align:right">2023年4月24日&nbsp;&nbsp;&nbsp;&nbsp;</p>
<script>document.write("分享到：");</script><style>p {{ margin: 0 }}</style>
<div class="pages_print"><span>【字体：大 中 小】</span><a onclick="window.print()">打印本页</a> <a>关闭窗口</a></div>
</div>
<div class="editor">责任编辑：张三</div>
<div id="qr_container">扫一扫在手机打开当前页</div>
<div class="xg-list related"><div class="pannel-title">相关稿件</div>
<ul><li><a href="/a.htm">市政府召开防汛工作会议，部署今年全市防汛抗旱各项重点工作</a></li>
<li><a href="/b.htm">市防指开展汛前检查，确保各类水利工程安全度汛和群众生命财产安全</a></li></ul></div>
</div></div>
<div class="footer">版权所有：某市人民政府办公室 主办 网站标识码 1234000000 备案号 某ICP备12345678号</div>
<div class="back_top">回到顶部</div>
</body></html>
"""
TITLE = "某市人民政府办公室关于做好2023年防汛工作的通知"


def test_a_chrome_heavy_page_gives_the_article_with_its_title_and_metadata_first(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(CHROME_PAGE.format(title=TITLE), encoding="utf-8")
    lines, notes = html_lines(page)
    assert lines == [
        TITLE,
        "发布日期：2023-04-25",
        "来源：某市人民政府办公室",
        "各县（市、区）人民政府，市政府各部门：",
        "为做好今年防汛工作，确保人民群众生命财产安全，现将有关事项通知如下。",
        "一、压实防汛责任",
        "各地要落实以行政首长负责制为核心的防汛责任制，层层压实责任。",
        "二、加强隐患排查",
        "各地要对水库、堤防、在建工程开展拉网式排查，",
        "发现隐患立即整改。",
        "某市人民政府办公室",
        "2023年4月24日",
    ]
    assert notes == ["1 image(s) in the article were left out: docgen imports text only"]
    document, _ = imported(page, tmp_path)
    assert (document.title, document.organs, str(document.signature.date)) == (
        TITLE, ("某市人民政府办公室",), "2023-04-24"
    )  # fmt: skip
    assert (str(document.publication.published), document.publication.source) == ("2023-04-25", "某市人民政府办公室")


def test_the_title_is_not_repeated_when_the_article_opens_with_it(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    html = CHROME_PAGE.format(title=TITLE).replace("<p>各县", f"<p>{TITLE[:12]}</p><p>{TITLE[12:]}</p><p>各县", 1)
    page.write_text(html, encoding="utf-8")
    lines, _ = html_lines(page)
    assert lines[:4] == ["发布日期：2023-04-25", "来源：某市人民政府办公室", TITLE[:12], TITLE[12:]]


# An older county portal: table layout, GB2312 declared (GBK bytes), the article as <br> lines in #zoom.
GBK_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>县政府关于开展冬春植树造林工作的通知</title></head><body>
<table width="100%"><tr><td class="dqwz">您现在的位置：首页 &gt;&gt; 政府文件</td></tr></table>
<table width="980" align="center"><tr><td class="biaoti">县人民政府关于开展冬春植树造林工作的通知</td></tr>
<tr><td class="fbsj">信息来源：县林业局　　发布日期：2009年11月3日　　【<a href="#">打印本页</a>】
【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
<tr><td><div id="zoom">各乡镇人民政府，县直各单位：<br>
&nbsp;&nbsp;&nbsp;&nbsp;为加快国土绿化步伐，县人民政府决定在全县开展冬春植树造林活动。现将有关事项通知如下：<br>
&nbsp;&nbsp;&nbsp;&nbsp;一、各乡镇要在十二月底前完成造林任务的百分之六十以上。<br>
&nbsp;&nbsp;&nbsp;&nbsp;二、县林业局负责技术指导和苗木调运。<br>
<table border="1"><tr><td>乡镇</td><td>任务（亩）</td></tr><tr><td>城关镇</td><td>1200</td></tr></table>
县人民政府<br>二〇〇九年十一月二日</div></td></tr></table>
<table><tr><td class="bottom">版权所有 某县人民政府 技术支持：某网络公司</td></tr></table>
</body></html>
"""


def test_a_gbk_page_is_read_by_its_declared_charset_and_br_lines_are_paragraphs(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_bytes(GBK_PAGE.encode("gbk"))
    lines, notes = html_lines(page)
    assert lines == [
        "县人民政府关于开展冬春植树造林工作的通知",
        "信息来源：县林业局",
        "发布日期：2009-11-03",
        "各乡镇人民政府，县直各单位：",
        "为加快国土绿化步伐，县人民政府决定在全县开展冬春植树造林活动。现将有关事项通知如下：",
        "一、各乡镇要在十二月底前完成造林任务的百分之六十以上。",
        "二、县林业局负责技术指导和苗木调运。",
        "乡镇\t任务（亩）",
        "城关镇\t1200",
        "县人民政府",
        "二〇〇九年十一月二日",
    ]
    assert notes == ["1 table(s) in the article were kept as lines, one row a line, cells separated by tabs"]
    undeclared = tmp_path / "undeclared.html"
    undeclared.write_bytes(GBK_PAGE.replace("; charset=gb2312", "").encode("gbk"))
    assert html_lines(undeclared) == (lines, ["the page is not UTF-8; read as GB18030 (GBK)", *notes])
    document, _ = imported(page, tmp_path)
    assert (document.organs, str(document.signature.date)) == (("县人民政府",), "2009-11-02")


def test_entities_the_page_declares_are_never_expanded_nor_fetched(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html [<!ENTITY secret SYSTEM "file:///etc/hostname"><!ENTITY word "展开">]>'
        "<html><body><p>通知正文&secret;&word;</p></body></html>",
        encoding="utf-8",
    )
    lines, _ = html_lines(page)
    assert lines[-1] == "通知正文&secret;&word;"
    assert Path("/etc/hostname").read_text().strip() not in "".join(lines)


def test_what_is_not_a_saved_notice_is_refused_with_the_file_named(tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    with huge.open("wb") as stream:
        stream.truncate(21 * 1024 * 1024)  # sparse: refused from its size, never read
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"  \n")
    english = tmp_path / "english.html"
    english.write_text("<html><body><p>Page not found</p></body></html>", encoding="utf-8")
    fifo = tmp_path / "fifo.html"
    os.mkfifo(fifo)
    cases = {huge: "the notice is 22,020,096 bytes, more than the limit", empty: "empty",
             english: "no chinese text", fifo: "named pipe", tmp_path: "directory"}  # fmt: skip
    for path, expected in cases.items():
        with pytest.raises(DocgenError) as error:
            html_lines(path)
        assert str(path) in str(error.value) and expected in str(error.value).lower()


def test_docgen_import_takes_a_saved_page_and_the_source_builds(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from docgen.cli import main

    page = HTML / "05-tongbao-dudu-2018.html"
    source = tmp_path / "notice.yaml"
    result = CliRunner().invoke(main, ["import", str(page), "-o", str(source)])
    assert result.exit_code == 0, result.output
    built = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "out"), "-f", "html"])
    assert built.exit_code == 0, built.output
    html = (tmp_path / "out" / "notice.html").read_text(encoding="utf-8")
    assert "国务院办公厅关于对国务院第五次大督查" in html
    assert "1.北京市大力推进外国人来华工作许可制度改革。" in html  # the 附件's published numbers
