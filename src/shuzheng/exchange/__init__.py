"""Data sharing exchange (共享交换, issue 16; seed tasks 36–38): requests and approvals,
grants enforced by the data API, the change feed, the sealed message log and objections."""
