"""An office's server: accounts and roles, sessions, login throttling and the use record.

- ``permissions``: the roles (起草人员, 档案员, 年鉴编辑 and, kept apart as 三员分立 asks,
  系统管理员, 安全管理员, 审计员), what each action needs and the one table of web routes.
- ``accounts``: users with argon2 password hashes, their roles, who may see 内部 documents.
- ``sessions``: signed-in browsers, with an idle and an absolute expiry.
- ``throttle``: repeated wrong passwords slow down per account and per address.
- ``audit``: the use record (利用登记), an append-only table in the catalog chained by SM3,
  its latest hash kept in a file outside the catalog as well.

These are stages like the others: they take a ``Home`` and never import the facade.
"""
